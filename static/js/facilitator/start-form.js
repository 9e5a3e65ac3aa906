/**
 * The dashboard's Start forms (templates/facilitator/_start_options.html): "Days it stays
 * open" applies only to a workshop taken at each person's own pace, so it shows, and is sent,
 * only when that pace is chosen. Without this script it always shows and the server ignores
 * it for a live workshop.
 */
for (const form of document.querySelectorAll("form.plan-card__start")) {
  const days = form.querySelector("[data-open-days]");
  if (!days) continue;
  const input = days.querySelector("input");
  const sync = () => {
    const self = form.elements.namedItem("pace")?.value === "self";
    days.hidden = !self;
    // Disabled: not sent, and a number typed out of range cannot block a live start.
    input.disabled = !self;
  };
  form.addEventListener("change", (event) => {
    if (event.target.name === "pace") sync();
  });
  sync();
}

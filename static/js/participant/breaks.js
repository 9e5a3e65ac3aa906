/**
 * "I need a break": a personal pause screen with a breathing circle, a short grounding exercise
 * and the workshop's support options. Opening it also tells the facilitator, without a name,
 * that someone would like a pause.
 *
 *   const pause = createBreakPanel({ onBack });
 *   pause.setResources(state.resources); pause.setSignalled(true | false | null);
 */
import { h } from "../common/dom.js";
import { gettext } from "../common/i18n.js";

export function createBreakPanel({ onBack }) {
  const heading = h("h1", { tabindex: "-1" }, gettext("Take the time you need"));
  const signalled = h("p", { class: "answer-status", role: "status", hidden: true });
  const resources = h("ul", { class: "resources" });
  const resourcesBlock = h("div", { hidden: true }, h("h2", { class: "results-title" }, gettext("Support")), resources);
  const root = h(
    "section",
    { class: "card panel style-grounding" },
    heading,
    h("p", {}, gettext("You can step out for a moment, or stay here and breathe along with the circle.")),
    h("div", { class: "pacer", "aria-hidden": "true" }),
    signalled,
    h(
      "ul",
      { class: "grounding-steps" },
      h("li", {}, gettext("Feel your feet on the floor and the chair holding you.")),
      h("li", {}, gettext("Breathe in for four, and out gently for six.")),
      h("li", {}, gettext("Name five things you can see around you.")),
    ),
    h(
      "p",
      { class: "muted" },
      gettext(
        "Answers here are anonymous, so the facilitator can't follow up with you individually. If you'd like support, you're welcome to speak to them in person.",
      ),
    ),
    resourcesBlock,
    h("div", { class: "actions" }, h("button", { type: "button", class: "secondary", onclick: onBack }, gettext("Back to the session"))),
  );

  return {
    root,
    heading: () => heading,
    setResources(list) {
      resources.replaceChildren(...resourceItems(list));
      resourcesBlock.hidden = resources.childElementCount === 0;
    },
    /** true: the facilitator was told; false: they could not be reached; null: say nothing yet. */
    setSignalled(told) {
      signalled.hidden = told === null;
      signalled.textContent = told
        ? gettext("The facilitator has been told, without your name, that someone would like a pause.")
        : gettext("We couldn't reach the facilitator just now. You're welcome to step out or speak to them.");
    },
  };
}

/** The workshop's support options (`state.resources`) as list items. */
export function resourceItems(list) {
  return (Array.isArray(list) ? list : []).map(({ name, purpose, contact }) =>
    h("li", {}, h("strong", {}, name), purpose ? h("span", {}, purpose) : null, contact ? h("span", { class: "contact" }, callable(contact)) : null),
  );
}

// A phone number in a contact line: 3 or more digits, maybe with a leading + and spaces or dashes.
// Keep in step with PHONE_NUMBER in participant/summary_views.py.
const PHONE_NUMBER = /\+?\d[\d -]*\d/g;

/** The contact text with each phone number as a tel: link, so one tap calls it. */
function callable(text) {
  const parts = [];
  let last = 0;
  for (const match of text.matchAll(PHONE_NUMBER)) {
    const digits = match[0].replace(/[ -]/g, "");
    if (digits.replace("+", "").length < 3) continue;
    parts.push(text.slice(last, match.index), h("a", { href: `tel:${digits}`, dir: "ltr" }, match[0]));
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return parts.filter((part) => part !== "");
}

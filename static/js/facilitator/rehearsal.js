/**
 * A rehearsal's box in the control room (templates/facilitator/_rehearsal_panel.html): the
 * `simulate {count}` action, with a hint that says what the answers go to, or why none can be
 * added now (docs/protocol.md). The server checks everything again.
 */
import { formatNumber, gettext, ngettext } from "../common/i18n.js";

const RANGE = [1, 200];

/** Why simulated answers cannot be added now, or null when they can. */
function blocked(control) {
  if (control.phase === "lobby") return gettext("Start the rehearsal to add answers.");
  if (control.phase === "ended") return gettext("The rehearsal has ended.");
  if (control.workshop.pace === "self") return null;
  const row = control.activities[control.index];
  if (!row.takes_answers) return gettext("Go to a question to add answers.");
  if (!row.accepting) return gettext("Open answers to this question first.");
  return null;
}

export function createRehearsal({ root, form, input, button, hint }, { send, toast }) {
  if (!root) return { update() {} };
  const range = gettext("From %(min)s to %(max)s.", { min: formatNumber(RANGE[0]), max: formatNumber(RANGE[1]) });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const count = Number(input.value.trim());
    if (!Number.isInteger(count) || count < RANGE[0] || count > RANGE[1]) {
      const ask = gettext("Choose how many simulated answers to add.");
      toast.show(`${ask} ${range}`, { tone: "error" });
      input.focus();
      return;
    }
    const ack = await send({ action: "simulate", count });
    if (!ack) return;
    if (!ack.ok) {
      toast.show(ack.error?.message ?? gettext("That did not work. Please try again."), { tone: "error" });
      return;
    }
    toast.show(ngettext("%(num)s simulated answer added.", "%(num)s simulated answers added.", count));
  });

  return {
    update(control, { online }) {
      root.hidden = control.phase === "ended";
      const why = blocked(control);
      const where = control.workshop.pace === "self" ? gettext("Each open activity gets them.") : gettext("They go to the question showing now.");
      hint.textContent = why ?? `${range} ${where}`;
      button.disabled = Boolean(why) || !online;
      input.disabled = Boolean(why);
    },
  };
}

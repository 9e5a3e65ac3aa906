/**
 * "Answer rejected. Undo" for a minute after Reject or Dismiss. The minute is this page's own:
 * the undo sends the same `restore_answer` / `qa_restore` the Rejected lists send, with `to` set
 * to the state the item had in the last snapshot before it was taken away (docs/protocol.md says
 * why the server keeps no clock for it). Only the last Reject or Dismiss can be undone here; any
 * earlier one stays in the Rejected lists for as long as the workshop runs.
 *
 * The message is a polite live region that stays in the page (visually hidden when idle), so
 * a screen reader hears "Answer rejected." without focus leaving the list the person works in;
 * the Undo button follows it in the Tab order.
 */
import { gettext } from "../common/i18n.js";

export const UNDO_MS = 60_000;

// How each taken-away item is found in `control.rejected`, and what its undo says.
const KINDS = {
  answer: {
    action: "restore_answer",
    field: "response_id",
    listed: (control, id) => control.rejected.answers.some((item) => item.response_id === id),
    taken: () => gettext("Answer rejected."),
    back: () => gettext("The answer is back in the queue."),
  },
  question: {
    action: "qa_restore",
    field: "question_id",
    listed: (control, id) => control.rejected.questions.some((item) => item.id === id),
    taken: () => gettext("Question dismissed."),
    back: (to) => (to === "pending" ? gettext("The question is back in the queue.") : gettext("The question is back on the board.")),
  },
};

/**
 * What an acknowledged action took away, with the state to undo it to; null for other actions.
 * `before` is the snapshot the page showed when the button was pressed.
 */
export function takenAway(payload, before) {
  if (payload.action === "reject") {
    // The control room rejects from the queue only, so the answer was waiting there.
    return { kind: "answer", id: payload.response_id, to: "pending" };
  }
  if (payload.action === "qa_dismiss") {
    const question = before?.qa.questions.find((item) => item.id === payload.question_id);
    return { kind: "question", id: payload.question_id, to: question?.status ?? "pending" };
  }
  return null;
}

export function createUndo({ root, text, button }, { send, toast, focusAfter }) {
  let offer = null;
  let timer = null;

  function withdraw({ keepMessage = false } = {}) {
    clearTimeout(timer);
    offer = null;
    const hadFocus = root.contains(document.activeElement);
    root.classList.remove("is-offered");
    button.hidden = true;
    if (!keepMessage) text.textContent = "";
    // The button goes away under the keyboard: keep it in the column rather than the page top.
    if (hadFocus) focusAfter();
  }

  button.addEventListener("click", async () => {
    if (!offer) return;
    const { kind, id, to } = offer;
    const spec = KINDS[kind];
    const ack = await send({ action: spec.action, [spec.field]: id, to });
    if (!ack) return; // offline, or another action on its way: the offer stays
    withdraw();
    if (ack.ok) toast.show(spec.back(to));
    else toast.show(ack.error?.message ?? gettext("The undo did not go through. Use Restore in the list below."), { tone: "error" });
  });

  return {
    /** Offer to undo what an acknowledged action took away (replacing any earlier offer). */
    offer(taken) {
      clearTimeout(timer);
      offer = taken;
      text.textContent = KINDS[taken.kind].taken();
      button.hidden = false;
      root.classList.add("is-offered");
      timer = setTimeout(() => withdraw(), UNDO_MS);
    },
    /** Withdraw the offer once the item is no longer there to restore (a colleague restored
     * it, the stage moved on, the workshop ended). */
    update(control) {
      if (!offer) return;
      if (control.phase !== "live" || !KINDS[offer.kind].listed(control, offer.id)) withdraw();
    },
  };
}

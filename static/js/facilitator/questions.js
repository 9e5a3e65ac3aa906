/**
 * Anonymous Q&A in the control room (`control.qa`): open or close questions, approve or dismiss
 * what phones ask, and mark questions answered. Pending questions are shown only here; the
 * projector and phones get the board alone (approved and answered). Buttons carry
 * `data-action` and `data-question-id`, which the page's click handler turns into `act` calls.
 * Question texts are masked by the server and go in as text, never markup.
 */
import { h } from "../common/dom.js";
import { formatNumber, gettext, ngettext } from "../common/i18n.js";
import { keyedList } from "./keyed-list.js";

// What can be done with a question in each state (hearth/services/questions.py), and how
// loudly each button speaks: one filled button per card at most.
// Labels are functions, so they are looked up in the page's catalog when drawn.
const BUTTONS = {
  pending: [
    ["qa_approve", () => gettext("Approve"), "small"],
    ["qa_dismiss", () => gettext("Dismiss"), "secondary small"],
  ],
  approved: [
    ["qa_answered", () => gettext("Mark answered"), "secondary small"],
    ["qa_dismiss", () => gettext("Dismiss"), "quiet small"],
  ],
  answered: [["qa_dismiss", () => gettext("Dismiss"), "quiet small"]],
};

/**
 * `groups` maps each status to the section and list that show its questions; `board` is the
 * "Show board on projector" toggle (aria-pressed follows `qa.shown`, the workshop's state, so
 * every control room and a reloaded projector agree).
 */
export function createQuestions({ status, toggle, board, count, empty, groups }) {
  // After the end the server refuses every action: the board stays, read-only.
  let readOnly = false;

  const syncs = Object.fromEntries(
    Object.entries(groups).map(([state, { list }]) => [
      state,
      keyedList(list, {
        key: (question) => question.id,
        create: (question) => questionItem(question, state),
        update(item, question) {
          const votes = item.querySelector(".qa-item__votes");
          if (votes) votes.textContent = ngettext("%(num)s vote", "%(num)s votes", question.votes);
          item.querySelector(".qa-item__actions").hidden = readOnly;
        },
      }),
    ]),
  );

  return {
    update(control) {
      const { qa } = control;
      readOnly = control.phase === "ended";
      for (const [state, { section }] of Object.entries(groups)) {
        const questions = qa.questions.filter((question) => question.status === state);
        syncs[state](questions);
        section.hidden = questions.length === 0;
      }
      const pending = qa.questions.filter((question) => question.status === "pending").length;
      count.hidden = pending === 0;
      // Read as "3 waiting"; the tab's own name says what.
      const label = ngettext("%(num)s waiting", "%(num)s waiting", pending);
      count.replaceChildren(h("span", { "aria-hidden": "true" }, formatNumber(pending)), h("span", { class: "visually-hidden" }, label));
      // Dismissed ones wait in their own list (rejected.js): the room has asked something.
      empty.hidden = qa.questions.length > 0 || control.rejected.questions.length > 0;
      status.textContent = statusText(qa.open, readOnly);
      toggle.hidden = readOnly;
      toggle.dataset.action = qa.open ? "qa_close" : "qa_open";
      toggle.textContent = qa.open ? gettext("Close questions") : gettext("Open questions");
      // The board can go on the projector only while the workshop is live.
      board.hidden = control.phase !== "live";
      board.setAttribute("aria-pressed", String(qa.shown));
      board.dataset.action = qa.shown ? "qa_hide" : "qa_show";
    },
  };
}

function questionItem(question, state) {
  return h(
    "li",
    { class: `qa-item qa-item--${state}` },
    h("p", { class: "qa-item__text", dir: "auto" }, question.text),
    // Pending questions cannot be voted on yet, so a count there would always be 0.
    state === "pending" ? null : h("p", { class: "qa-item__votes" }),
    h(
      "div",
      { class: "qa-item__actions" },
      BUTTONS[state].map(([action, label, look]) =>
        h("button", { type: "button", class: look, "data-action": action, "data-question-id": question.id }, label()),
      ),
    ),
  );
}

function statusText(open, ended) {
  if (ended) return gettext("The workshop has ended. These are the questions the room asked.");
  return open
    ? gettext("Open: phones can ask questions, anonymously.")
    : gettext("Closed: phones can't ask new questions. The board stays visible.");
}

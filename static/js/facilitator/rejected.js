/**
 * The control room's Rejected lists (`control.rejected`): open answers rejected on the question
 * being moderated, and dismissed questions. "Restore" sends `restore_answer` / `qa_restore`
 * without `to`, so the item goes back to its queue and reaches the projector only once approved
 * again. Buttons carry `data-action`, which the page's click handler turns into `act` calls.
 * Texts are masked by the server and go in as text, never markup.
 */
import { h } from "../common/dom.js";
import { gettext, ngettext } from "../common/i18n.js";
import { keyedList } from "./keyed-list.js";

/** What to say once a Restore from a list was acknowledged; null for other actions. */
export function restoredText(payload) {
  if (payload.action === "restore_answer") return gettext("The answer is back in the queue, waiting for your approval.");
  if (payload.action === "qa_restore") return gettext("The question is back in the queue, with its votes, waiting for your approval.");
  return null;
}

function restoreButton(action, field, id, describedBy) {
  return h(
    "button",
    { type: "button", class: "secondary small", "data-action": action, [`data-${field}`]: id, "aria-describedby": describedBy },
    gettext("Restore"),
  );
}

function answerItem(entry) {
  const textId = `rejected-answer-${entry.response_id}`;
  return h(
    "li",
    { class: "rejected__item" },
    h("p", { class: "rejected__text", id: textId, dir: "auto" }, entry.text),
    restoreButton("restore_answer", "response-id", entry.response_id, textId),
  );
}

function questionItem(question) {
  const textId = `rejected-question-${question.id}`;
  return h(
    "li",
    { class: "rejected__item" },
    h("p", { class: "rejected__text", id: textId, dir: "auto" }, question.text),
    h("p", { class: "rejected__votes" }),
    restoreButton("qa_restore", "question-id", question.id, textId),
  );
}

/** One list: `section` (a <details>), its `summary` and `list`; `label(n)` names it. */
function createList({ section, summary, list }, { key, create, update, label, focusAfter }) {
  const sync = keyedList(list, { key, create, update });
  return (entries, live) => {
    const hadFocus = section.contains(document.activeElement);
    // After the end nothing can be restored (the server refuses every action).
    sync(live ? entries : []);
    section.hidden = !live || entries.length === 0;
    summary.textContent = label(entries.length);
    // The last one restored took the keyboard with it: keep it in the column.
    if (hadFocus && section.hidden) focusAfter();
  };
}

export function createRejected({ answers, questions }, { focusAfter }) {
  const syncAnswers = createList(answers, {
    key: (entry) => entry.response_id,
    create: answerItem,
    focusAfter,
    label: (count) => ngettext("%(num)s rejected answer", "%(num)s rejected answers", count),
  });
  const syncQuestions = createList(questions, {
    key: (question) => question.id,
    create: questionItem,
    update(item, question) {
      item.querySelector(".rejected__votes").textContent = ngettext("%(num)s vote", "%(num)s votes", question.votes);
    },
    focusAfter,
    label: (count) => ngettext("%(num)s dismissed question", "%(num)s dismissed questions", count),
  });

  return {
    update(control) {
      const live = control.phase === "live";
      syncAnswers(control.rejected.answers, live);
      syncQuestions(control.rejected.questions, live);
    },
  };
}

/**
 * Anonymous questions for the facilitator: ask one (through the outbox, so a question typed on
 * flaky Wi-Fi is not lost), see the approved ones on the board, and upvote them.
 *
 *   const qa = createQuestionsPanel({ ask, upvote, onBack });
 *   qa.update(qaState)            // `qa {version, open, questions}` from the server
 *   qa.asked(msgId) / qa.settled(payload, ack) / qa.setOnline(bool)
 *   qa.setNews(bool)              // a new activity opened while this panel was showing
 *
 * `ask(text) -> msg_id` queues the question; `upvote(id) -> Promise<ack>` emits once.
 */
import { h, uniqueId } from "../common/dom.js";
import { gettext, ngettext } from "../common/i18n.js";

const QUESTION_MAX_LENGTH = 280;

export function createQuestionsPanel({ ask, upvote, onBack }) {
  const heading = h("h1", { tabindex: "-1" }, gettext("Questions"));
  const fieldId = uniqueId("question");
  const hintId = uniqueId("question-hint");
  const counter = h("span", { class: "counter" });
  const textarea = h("textarea", {
    id: fieldId,
    rows: "3",
    maxlength: String(QUESTION_MAX_LENGTH),
    "aria-describedby": hintId,
    oninput: count,
  });
  const status = h("p", { class: "answer-status", role: "status", hidden: true });
  const form = h(
    "form",
    { class: "ask-form", novalidate: true, onsubmit: submit },
    h("label", { for: fieldId }, gettext("Ask the facilitator")),
    textarea,
    h(
      "div",
      { class: "open-meta" },
      h("p", { class: "hint", id: hintId }, gettext("Emails, phone numbers and links are removed.")),
      counter,
    ),
    h("div", { class: "actions" }, h("button", { type: "submit" }, gettext("Send question"))),
  );
  const closed = h("p", { class: "results-waiting" }, gettext("Questions are closed right now."));
  const board = h("ul", { class: "board" });
  const empty = h("p", { class: "results-note" }, gettext("No questions on the board yet."));
  // Told calmly, not pulled away: the app also says it once in its polite live region.
  const news = h(
    "div",
    { class: "notice-line panel-news", hidden: true },
    h("p", {}, gettext("Something new has opened in the session. Your place here is kept.")),
    h("button", { type: "button", class: "secondary", onclick: onBack }, gettext("Go to the session")),
  );
  const root = h(
    "section",
    { class: "card panel" },
    heading,
    news,
    h("p", {}, gettext("Anonymous: nobody can see who asked. A question shows here once the facilitator approves it.")),
    form,
    status,
    closed,
    h("h2", { class: "results-title" }, gettext("On the board")),
    board,
    empty,
    h("div", { class: "actions" }, h("button", { type: "button", class: "secondary", onclick: onBack }, gettext("Back to the session"))),
  );
  const waiting = new Set(); // msg_ids of my questions not yet acked
  const voted = new Set(); // question ids this page upvoted; kept in memory only
  let online = true;
  count();

  function count() {
    counter.textContent = gettext("%(used)s / %(limit)s", { used: textarea.value.length, limit: QUESTION_MAX_LENGTH });
  }

  function submit(event) {
    event.preventDefault();
    const text = textarea.value.trim();
    if (!text) return;
    waiting.add(ask(text));
    textarea.value = "";
    count();
    say(online ? gettext("Sending…") : gettext("Waiting for the connection. It will be sent automatically."));
  }

  function say(text) {
    status.textContent = text;
    status.hidden = !text;
  }

  function question({ id, text, votes, status: state }) {
    const answered = state === "answered";
    const mine = voted.has(id);
    const button = h(
      "button",
      {
        type: "button",
        class: "secondary vote",
        "aria-pressed": String(mine),
        "aria-label": ngettext("Upvote. %(num)s vote.", "Upvote. %(num)s votes.", votes),
        disabled: mine || answered,
        onclick: () => vote(id, button),
      },
      h("span", { "aria-hidden": "true" }, `▲ ${votes}`),
    );
    return h(
      "li",
      { class: answered ? "is-answered" : null },
      h("p", { class: "board-text" }, text),
      answered ? h("span", { class: "tag" }, gettext("Answered")) : button,
    );
  }

  async function vote(id, button) {
    button.disabled = true;
    const ack = await upvote(id);
    if (ack?.ok) {
      voted.add(id);
      button.setAttribute("aria-pressed", "true");
    } else {
      button.disabled = false;
      say(ack?.error?.message ?? gettext("That vote did not go through. Please try again."));
    }
  }

  return {
    root,
    heading: () => heading,
    update({ open, questions }) {
      form.hidden = !open;
      closed.hidden = open;
      board.replaceChildren(...questions.map(question));
      empty.hidden = questions.length > 0;
    },
    settled(payload, ack) {
      if (!waiting.delete(payload.msg_id)) return;
      if (ack?.ok) {
        say(gettext("Sent. It shows on the board once the facilitator approves it."));
        return;
      }
      say(ack?.error?.message ?? gettext("Your question did not go through. Please try again."));
      // Give the words back so nothing typed is lost.
      if (!textarea.value) {
        textarea.value = payload.text;
        count();
      }
    },
    setNews(shown) {
      news.hidden = !shown;
    },
    setOnline(value) {
      online = value;
    },
  };
}

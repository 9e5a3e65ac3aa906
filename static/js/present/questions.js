/**
 * The projector's Q&A strip: the top three approved questions by votes, under content slides.
 *
 * Why there: a content slide is where a facilitator pauses to talk, and a question slide needs
 * the whole screen for its prompt and results. Grounding pauses and content notes stay free of
 * it, so nothing competes with settling down. The lobby is for joining and the end is a quiet
 * thank-you, so neither shows it. Pending questions never reach this page (the server sends
 * the board only), and answered ones have had their moment, so the strip leaves them out.
 *
 * The whole board, full-screen: while the facilitator shows it (`qa.shown`, the `qa_show`
 * action), over whatever activity is live; the activity carries on underneath and comes back
 * with `qa_hide`. Most votes first, answered ones last and quieter; what does not fit even at
 * the smallest size is trimmed with "and n more".
 */
import { h } from "../common/dom.js";
import { formatNumber, gettext, ngettext } from "../common/i18n.js";
import { fitFont, fontCap, trimList } from "./fit.js";

const SHOWN = 3;
const QUIET_STYLES = new Set(["grounding", "note"]);

export function createQuestionStrip({ root, title, ask, list }) {
  return {
    update(snapshot) {
      const { activity, qa } = snapshot;
      const board = qa.questions.filter((question) => question.status === "approved");
      const fits = snapshot.phase === "live" && activity?.kind === "content" && !QUIET_STYLES.has(activity.style ?? "psychoeducation");
      root.hidden = !fits || (!board.length && !qa.open);
      if (root.hidden) return;
      // With nothing on the board yet, the strip is one quiet line inviting questions.
      title.hidden = !board.length;
      title.textContent =
        board.length > SHOWN
          ? gettext("Questions from the room · top %(shown)s of %(total)s", {
              shown: formatNumber(SHOWN),
              total: formatNumber(board.length),
            })
          : gettext("Questions from the room");
      ask.textContent = askText(qa.open, board.length);
      list.hidden = !board.length;
      list.replaceChildren(
        ...board.slice(0, SHOWN).map((question) =>
          h(
            "li",
            { class: "questions__item" },
            h("p", { class: "questions__text", dir: "auto" }, question.text),
            h("p", { class: "questions__votes" }, ngettext("%(num)s vote", "%(num)s votes", question.votes)),
          ),
        ),
      );
    },
  };
}

function askText(open, onBoard) {
  if (!open) return gettext("Vote on your phone");
  return onBoard ? gettext("Ask or vote anonymously on your phone") : gettext("Questions? Ask anonymously on your phone.");
}

/** The full-screen board: `root` is the page (it carries `data-board`), `stage` the fitted box. */
export function createQuestionBoard({ root, stage, ask, list, empty }) {
  function fit() {
    if (root.dataset.board !== "shown") return;
    const max = fontCap(34, 19);
    fitFont(stage, { min: max * 0.5, max });
    trimList(stage, ".board__list");
  }

  return {
    update(snapshot) {
      const { qa } = snapshot;
      const shown = snapshot.phase === "live" && qa.shown;
      if (shown) root.dataset.board = "shown";
      else delete root.dataset.board;
      if (!shown) return;
      // The server sends the board most votes first, answered ones last (docs/protocol.md).
      const board = qa.questions.filter((question) => question.status === "approved" || question.status === "answered");
      ask.textContent = askText(qa.open, board.length);
      empty.hidden = board.length > 0;
      empty.textContent = qa.open ? gettext("No questions yet.") : gettext("No questions on the board.");
      // Sized by the page's fit(), which runs after every snapshot and on resize.
      list.replaceChildren(...board.map(boardItem));
    },
    fit,
  };
}

function boardItem(question) {
  const answered = question.status === "answered";
  return h(
    "li",
    { class: `board__item${answered ? " is-answered" : ""}` },
    h("p", { class: "board__text", dir: "auto" }, question.text),
    h(
      "p",
      { class: "board__votes" },
      answered
        ? gettext("Answered · %(votes)s", { votes: ngettext("%(num)s vote", "%(num)s votes", question.votes) })
        : ngettext("%(num)s vote", "%(num)s votes", question.votes),
    ),
  );
}

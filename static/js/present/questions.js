/**
 * The projector's Q&A strip: the top three approved questions by votes, under content slides.
 *
 * Why there: a content slide is where a facilitator pauses to talk, and a question slide needs
 * the whole screen for its prompt and results. Grounding pauses and content notes stay free of
 * it, so nothing competes with settling down. The lobby is for joining and the end is a quiet
 * thank-you, so neither shows it. Pending questions never reach this page (the server sends
 * the board only), and answered ones have had their moment, so the strip leaves them out.
 */
import { h } from "../common/dom.js";
import { formatNumber, gettext, ngettext } from "../common/i18n.js";

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
            h("p", { class: "questions__text" }, question.text),
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

/**
 * The plan in the control room's left column: every activity with its kind, label and state.
 * Each row is a `goto` button (after the end, it opens that step's results for review). Rows
 * are built once (a workshop's activities are frozen) and then updated in place, so a row
 * that has keyboard focus keeps it across snapshots. A self-paced workshop has no current
 * activity to move (docs/protocol.md), so until its end its rows are plain text.
 */
import { answeredText, h } from "../common/dom.js";
import { formatNumber, gettext, planText } from "../common/i18n.js";

/** What each kind of activity is called, in the page's language. */
export const KIND_LABELS = {
  content: () => gettext("Slide"),
  choice: () => gettext("Poll"),
  multi: () => gettext("Multiple choice"),
  scale: () => gettext("Scale"),
  open: () => gettext("Open question"),
  words: () => gettext("Words"),
  rank: () => gettext("Ranking"),
};

export function createPlanList(list) {
  let rows = [];
  // Whether the rows were built as buttons; rebuilt when that changes (a self-paced end).
  let clickable = null;
  // The row last scrolled into view, so the list only scrolls when the stage moves.
  let scrolledTo = null;

  function build(activities) {
    const attributes = (activity) =>
      clickable
        ? { type: "button", class: "plan-item__button", "data-action": "goto", "data-index": activity.index }
        : { class: "plan-item__button plan-item__static" };
    rows = activities.map((activity) => {
      const badges = h("span", { class: "plan-item__badges" });
      const responded = h("span", { class: "plan-item__responded" });
      const button = h(
        clickable ? "button" : "div",
        attributes(activity),
        h("span", { class: "plan-item__number" }, formatNumber(activity.index + 1)),
        h(
          "span",
          { class: "plan-item__text" },
          h("span", { class: "plan-item__meta" }, h("span", { class: "plan-item__kind" }, KIND_LABELS[activity.kind]?.() ?? activity.kind), badges),
          // Plan text: its own language and direction (the CSS keeps it on the page's side).
          h("span", { class: "plan-item__label", ...planText() }, activity.label),
        ),
        responded,
      );
      return { item: h("li", { class: "plan-item" }, button), button, badges, responded };
    });
    list.replaceChildren(...rows.map((row) => row.item));
  }

  return {
    /** `shownIndex` is the activity on the stage (current or reviewed), or null. */
    update(control, shownIndex) {
      const buttons = control.workshop.pace !== "self" || control.phase === "ended";
      if (rows.length !== control.activities.length || buttons !== clickable) {
        clickable = buttons;
        build(control.activities);
      }
      control.activities.forEach((activity, position) => {
        const { item, button, badges, responded } = rows[position];
        const current = activity.index === shownIndex;
        item.classList.toggle("is-current", current);
        if (current) button.setAttribute("aria-current", "step");
        else button.removeAttribute("aria-current");
        // The lobby needs Start first; there is nothing to move to yet.
        button.disabled = control.phase === "lobby";
        badges.replaceChildren(...stateBadges(activity));
        const took = activity.answered + activity.passed;
        responded.textContent = took ? formatNumber(activity.answered) : "";
        responded.title = took ? answeredText(activity.answered, activity.passed) : "";
      });
      if (shownIndex !== null && shownIndex !== undefined && shownIndex !== scrolledTo) {
        rows[shownIndex]?.item.scrollIntoView({ block: "nearest" });
      }
      scrolledTo = shownIndex;
    },
  };
}

/** Small badges: open / closed / revealed. */
function stateBadges(activity) {
  if (!activity.takes_answers) return [];
  const badges = [];
  if (activity.accepting) badges.push(h("span", { class: "badge badge--open" }, gettext("open")));
  // The snapshot does not say whether an activity was ever opened; answers prove it was.
  else if (activity.answered + activity.passed > 0) badges.push(h("span", { class: "badge" }, gettext("closed")));
  if (activity.revealed) badges.push(h("span", { class: "badge badge--revealed" }, gettext("revealed")));
  return badges;
}

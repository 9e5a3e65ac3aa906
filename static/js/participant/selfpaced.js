/**
 * A self-paced workshop on the phone (`pace: "self"`, docs/protocol.md): the whole plan arrives
 * in `state.activities` and this phone moves through it by itself, in any order. Which activity
 * it is on stays in this tab; the server never learns it (docs/privacy.md).
 *
 *   const pacer = createPacer({ saved, onMove });
 *   pacer.view(state)          // the state as one activity's screen reads it (activity, results, …)
 *   pacer.update(state, mine, shown)  // Previous / Next, the last day, how many are done
 *   pacer.merge(state, results)  // one activity's newer `results` into the plan; true if kept
 *   pacer.root                 // the navigation, shown only while a self-paced workshop is live
 */
import { h } from "../common/dom.js";
import { formatNumber, gettext, language } from "../common/i18n.js";

/** True for a started self-paced workshop's `state`. */
export function isSelfPaced(state) {
  return state?.pace === "self" && state.phase === "live" && Array.isArray(state.activities);
}

/** "Thursday 10 December": the day a self-paced workshop closes, in the page's language. */
function dayText(isoDay) {
  const day = new Date(`${isoDay}T00:00:00Z`);
  if (Number.isNaN(day.getTime())) return isoDay;
  const options = { weekday: "long", day: "numeric", month: "long", timeZone: "UTC" };
  return new Intl.DateTimeFormat(language(), options).format(day);
}

export function createPacer({ saved = 0, onMove }) {
  let index = Number.isInteger(saved) ? saved : 0;
  let count = 0;
  const previous = h("button", { type: "button", class: "secondary", onclick: () => move(-1) }, gettext("Previous"));
  const next = h("button", { type: "button", onclick: () => move(1) }, gettext("Next"));
  const until = h("p", { class: "pace-until muted" });
  const answered = h("p", { class: "pace-answered muted" });
  const root = h(
    "nav",
    { class: "pace-nav", "aria-label": gettext("Move through the questions") },
    h("div", { class: "actions pace-steps" }, previous, next),
    answered,
    until,
  );
  root.hidden = true;

  function move(step) {
    const target = Math.min(Math.max(index + step, 0), count - 1);
    if (target === index) return;
    index = target;
    onMove(index);
  }

  function view(state) {
    count = state.activities.length;
    index = Math.min(Math.max(index, 0), Math.max(count - 1, 0));
    const activity = state.activities[index] ?? null;
    return {
      ...state,
      activity,
      accepting: Boolean(activity?.accepting),
      closes_in: null,
      results: activity?.results ?? null,
      index,
      total: count,
    };
  }

  function update(state, mine, shown = true) {
    root.hidden = !shown || !isSelfPaced(state);
    if (root.hidden) return;
    previous.disabled = index === 0;
    next.disabled = index >= count - 1;
    // Answerable activities are those with results (hidden or not); passing counts as done.
    const questions = state.activities.filter((item) => item.results !== null);
    const done = questions.filter((item) => mine.has(item.id)).length;
    answered.textContent = gettext("Done: %(done)s of %(total)s questions", {
      done: formatNumber(done),
      total: formatNumber(questions.length),
    });
    until.textContent = state.open_until
      ? gettext("Open until %(day)s. Take your time: you can come back to any question.", {
          day: dayText(state.open_until),
        })
      : "";
  }

  /**
   * Phones of a self-paced workshop get `results` for any activity that changed, not the whole
   * plan again: keep them in the plan the phone moves through, unless they are older than held.
   */
  function merge(state, results) {
    const position = state.activities.findIndex((item) => item.id === results?.activity_id);
    if (position < 0) return false;
    const held = state.activities[position].results;
    if (held && results.version <= held.version) return false;
    state.activities[position] = { ...state.activities[position], results };
    return true;
  }

  return { root, view, update, merge, index: () => index };
}

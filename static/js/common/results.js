/**
 * Draws what the room has said, on every screen: the phone, the projector and the control room
 * (docs/protocol.md):
 *
 *   renderResults(container, results, activity, { audience: "phone" });           // a `results` payload
 *   renderComparison(container, comparison, activity, { audience: "projector" }); // check-in vs check-out
 *   renderReactions(container, counts);                                            // {emoji: count}
 *
 * `audience` is "phone", "facilitator" (the control room; the default) or "projector". The
 * drawing of each kind is the same markup everywhere; AUDIENCES below says what differs in
 * content, and each screen's stylesheet gives the look (static/css/participant.css on the phone,
 * static/css/results.css in the control room and, in large type, on the projector). Lengths
 * are passed as CSS variables (`--share`, `--weight`, `--rise`) for the stylesheets to use.
 *
 * `activity` supplies what the payloads leave out (option texts, scale ends). Only payloads
 * with `hidden: null` are drawn: callers word the hidden states for their own audience.
 * Texts from participants are inserted with textContent, so they can never become markup.
 * Every figure is text (bars are aria-hidden), so a screen reader hears what a chart shows.
 * Nothing here animates per answer: a count that ticks up in front of a small room lets people
 * guess who just voted, so bars simply take their new size on the next tick.
 */

import { gettext, formatNumber as localNumber, ngettext, planText } from "./i18n.js";

/** Spoken names of the reactions phones can send (hearth/services/signals.py REACTIONS). */
const REACTION_NAMES = {
  "💛": () => gettext("heart"),
  "🙏": () => gettext("thanks"),
  "👍": () => gettext("thumbs up"),
  "🤔": () => gettext("thinking"),
};

/**
 * What each audience's drawing says besides the figures. The phone draws inside its activity
 * card, under the question that already shows the options and scale ends, and has no status
 * line of its own: so a titled region, how many answered in a note, word counts for screen
 * readers only, and no captions. The big screens say how many answered in their own status
 * line, and have room for the scale's ends, its centre and a caption on how to read a chart.
 */
const BIG_SCREEN = {
  titled: false,
  notes: false,
  details: true,
  wordCounts: "shown",
  noWords: () => gettext("No words yet."),
  noEntries: () => gettext("No answers have been approved yet."),
};
const AUDIENCES = {
  phone: {
    titled: true,
    notes: true,
    details: false,
    wordCounts: "spoken",
    noWords: () => gettext("No words to show yet."),
    noEntries: () => gettext("No answers have been shared yet."),
  },
  facilitator: BIG_SCREEN,
  projector: BIG_SCREEN,
};

/** The phone's heading over each kind's drawing. */
const TITLES = {
  choice: () => gettext("Group results"),
  multi: () => gettext("Group results"),
  scale: () => gettext("Group results"),
  rank: () => gettext("The group's order"),
  words: () => gettext("Group words"),
  open: () => gettext("Shared answers"),
};

/** Kinds this module can draw. */
export function canDrawResults(kind) {
  return Object.hasOwn(DRAWINGS, kind);
}

/** Replace the content of `container` with the drawing of `results` for `audience`. */
export function renderResults(container, results, activity, { audience = "facilitator" } = {}) {
  const profile = AUDIENCES[audience];
  const drawing = node(profile.titled ? "section" : "div", `results results--${results.kind} results--${audience}`);
  if (profile.titled) {
    drawing.setAttribute("aria-label", gettext("Group results"));
    drawing.append(node("h2", "results-title", TITLES[results.kind]()));
  }
  drawing.append(...DRAWINGS[results.kind](results, activity, profile).filter(Boolean));
  container.replaceChildren(drawing);
}

/** Horizontal bars, one per option in plan order, each with its count and share of answers. */
function drawChoice(results, activity, { notes }) {
  const counts = results.counts ?? [];
  const total = counts.reduce((sum, count) => sum + count, 0);
  return [shareBars(activity.options, counts, total), notes && note(answers(total))];
}

/** Like choice, but each person could pick several: shares are of people, not of picks. */
function drawMulti(results, activity, { notes, details }) {
  const people = results.respondents ?? 0;
  return [
    shareBars(activity.options, results.counts ?? [], people),
    notes &&
      note(
        ngettext(
          "%(num)s person answered; each could pick more than one.",
          "%(num)s people answered; each could pick more than one.",
          people,
        ),
      ),
    details &&
      caption(
        ngettext(
          "Share of the %(num)s person who answered; each could pick more than one.",
          "Share of the %(num)s people who answered; each could pick more than one.",
          people,
        ),
      ),
  ];
}

/**
 * Options from the most Borda points down (the bar length). Every ranking places every option
 * (hearth/kinds.py), so this is also the order of the average places, without their rounding.
 */
function drawRank(results, activity, { details }) {
  const scores = results.scores ?? [];
  const places = results.mean_rank ?? [];
  const top = Math.max(1, ...scores);
  const order = activity.options
    .map((option, index) => ({ option, score: scores[index] ?? 0, place: places[index] }))
    .sort((a, b) => b.score - a.score);
  const list = node("ol", "results-bars results-bars--ranked");
  for (const { option, score, place } of order) {
    const figure =
      place === null || place === undefined ? "–" : gettext("avg. place %(place)s", { place: formatNumber(place) });
    list.append(barRow(option, score / top, figure));
  }
  return [list, details && caption(gettext("Longer bars were put nearer the top of people's lists."))];
}

/**
 * The words people gave, most given first and larger; hidden ones only reach the facilitator.
 * `--weight` (the share of the most given word's count) sizes words on the phone, `--rise`
 * (from the rarest to the most given) on the big screens.
 */
function drawWords(results, activity, { wordCounts, noWords }) {
  const words = results.words ?? [];
  if (!words.length) return [node("p", "results-empty", noWords())];
  const most = Math.max(...words.map((word) => word.count));
  const cloud = node("ul", "results-words");
  for (const word of words) {
    const item = node("li", word.hidden ? "results-word is-hidden" : "results-word", word.text);
    item.dir = "auto"; // people's own words, in whatever language they wrote
    item.style.setProperty("--weight", String(word.count / most));
    item.style.setProperty("--rise", String(most > 1 ? (word.count - 1) / (most - 1) : 0));
    item.append(
      wordCounts === "shown"
        ? node("span", "results-word__count", ` ${formatInteger(word.count)}`)
        : node("span", "visually-hidden", `: ${formatInteger(word.count)}`),
    );
    cloud.append(item);
  }
  return [cloud];
}

/** A column per scale point (every point present, so gaps show), then the end labels and centre. */
function drawScale(results, activity, { notes, details }) {
  const points = scalePoints(results.histogram);
  const highest = Math.max(1, ...points.map(([, count]) => count));
  const columns = histogram(points, (count) => count / highest);
  if (details) return [columns, scaleEnds(activity), centreLine(results)];
  const total = points.reduce((sum, [, count]) => sum + count, 0);
  const count = answers(total);
  const line =
    results.mean === null || results.mean === undefined
      ? count
      : gettext("Average %(mean)s · %(count)s", { mean: formatNumber(results.mean), count });
  return [columns, notes && note(line)];
}

/**
 * Check-in and check-out side by side, then how the group's average and the shares of high and
 * low scores moved. The two sides are separate snapshots of the group (the server never links
 * one person's answers), so every word here is about "the group", never about anyone changing.
 */
export function renderComparison(container, comparison, activity, { audience = "facilitator" } = {}) {
  const { pre, post } = comparison;
  // Bars are shares of each side's answers on one common scale: the sides may differ in size.
  const top = Math.max(
    ...[pre, post].flatMap((side) => scalePoints(side.histogram).map(([, count]) => count / side.n)),
  );
  const sides = node("div", "comparison__sides");
  sides.append(
    comparisonSide(gettext("Check-in"), pre, top, activity),
    comparisonSide(gettext("Check-out"), post, top, activity),
  );
  const drawing = node("div", `results comparison results--${audience}`);
  drawing.append(
    sides,
    comparisonShifts(comparison),
    caption(gettext("The group's answers at two moments. They are not linked from one person to the other.")),
  );
  container.replaceChildren(drawing);
}

/** One side of a comparison: its name, how many answered, its histogram and the scale's ends. */
function comparisonSide(name, side, top, activity) {
  const figure = node("figure", "comparison__side");
  const heading = node("figcaption", "comparison__name", name);
  heading.append(node("span", "comparison__n", ` · ${answers(side.n)}`));
  figure.append(
    heading,
    histogram(scalePoints(side.histogram), (count) => count / side.n / top, { figures: false }),
    scaleEnds(activity),
  );
  return figure;
}

/** Average, and the shares above and below the middle of the scale, before → after. */
function comparisonShifts({ pre, post, mean_shift: shift }) {
  const { high, low } = scaleHalves(post.histogram);
  const list = node("dl", "comparison__shifts");
  const row = (term, before, after, change) => {
    const entry = node("div", "comparison__shift");
    const value = node("dd", "", `${before} → ${after}`);
    if (change) value.append(" ", node("span", "comparison__change", change));
    entry.append(node("dt", "", term), value);
    list.append(entry);
  };
  row(gettext("Average"), formatTenths(pre.mean), formatTenths(post.mean), formatShift(shift));
  row(gettext("Scores of %(points)s", { points: high }), formatPercent(pre.share_high), formatPercent(post.share_high));
  row(gettext("Scores of %(points)s", { points: low }), formatPercent(pre.share_low), formatPercent(post.share_low));
  return list;
}

/** Reaction counts as a row of emoji and numbers, each emoji with a spoken name. */
export function renderReactions(container, counts) {
  const list = node("ul", "reactions-tally");
  for (const [emoji, count] of Object.entries(counts ?? {})) {
    if (!count) continue;
    const item = node("li", "reactions-tally__item");
    const symbol = node("span", "reactions-tally__emoji", emoji);
    symbol.setAttribute("role", "img");
    symbol.setAttribute("aria-label", REACTION_NAMES[emoji]?.() ?? gettext("reaction"));
    item.append(symbol, node("span", "reactions-tally__count", formatInteger(count)));
    list.append(item);
  }
  container.replaceChildren(list);
}

/** Approved texts as cards, in the server's shuffled order (no timestamps, no authors). */
function drawOpen(results, activity, { notes, noEntries }) {
  const entries = results.entries ?? [];
  const list = node("ul", "results-entries");
  for (const text of entries) {
    const entry = node("li", "results-entry", text);
    entry.dir = "auto"; // people's own words, in whatever language they wrote
    list.append(entry);
  }
  return [
    entries.length ? list : node("p", "results-empty", noEntries()),
    notes && results.pending ? note(gettext("More may appear after the facilitator reviews them.")) : null,
  ];
}

/** A bar per option whose length is its share of `total`, with the count and percentage. */
function shareBars(options, counts, total) {
  const list = node("ol", "results-bars");
  options.forEach((option, index) => {
    const count = counts[index] ?? 0;
    const share = total ? count / total : 0;
    list.append(barRow(option, share, `${formatInteger(count)} · ${formatPercent(share)}`));
  });
  return list;
}

/** One labelled bar; `fraction` (0..1) is its length. */
function barRow(label, fraction, figure) {
  const row = node("li", "results-bar");
  const track = node("span", "results-bar__track");
  const fill = node("span", "results-bar__fill");
  // A share of the whole, not of the largest bar, so that lengths compare honestly.
  fill.style.setProperty("--share", String(fraction));
  track.append(fill);
  track.setAttribute("aria-hidden", "true");
  const text = node("span", "results-bar__label", label);
  Object.assign(text, planText()); // an option of the plan, in the plan's language
  row.append(text, track, node("span", "results-bar__figure", figure));
  return row;
}

/** "Average 6.2 · Median 6", or nothing when the server sent no centre. */
function centreLine({ mean, median }) {
  const parts = [];
  if (mean !== null && mean !== undefined) parts.push(gettext("Average %(mean)s", { mean: formatNumber(mean) }));
  if (median !== null && median !== undefined) parts.push(gettext("Median %(median)s", { median: formatNumber(median) }));
  return node("p", "results-centre", parts.join(" · "));
}

/** A histogram's [point, count] pairs in scale order. */
function scalePoints(histogramCounts) {
  return Object.entries(histogramCounts ?? {})
    .map(([point, count]) => [Number(point), count])
    .sort(([a], [b]) => a - b);
}

/**
 * A column per point; `fraction(count)` is a bar's height (0..1) within its well. With
 * `figures`, the count rides on top of its bar; without, it is only read aloud.
 */
function histogram(points, fraction, { figures = true } = {}) {
  const list = node("ol", "results-histogram");
  list.style.setProperty("--points", String(points.length));
  for (const [point, count] of points) {
    const column = node("li", "results-column");
    const well = node("span", "results-column__well");
    const bar = node("span", "results-column__bar");
    bar.style.setProperty("--share", String(fraction(count)));
    // A screen reader reads "7", then "3 answers": CSS puts the point under the column
    // although it comes first.
    bar.append(figures ? countWithLabel(count) : node("span", "visually-hidden", answers(count)));
    well.append(bar);
    column.append(node("span", "results-column__point", String(point)), well);
    list.append(column);
  }
  return list;
}

/** "0 = Not settled at all" and "10 = Very settled" under a histogram. */
function scaleEnds(activity) {
  const ends = node("div", "results-scale-ends");
  ends.append(
    node("span", "", activity?.min_label ? `${activity.min} = ${activity.min_label}` : ""),
    node("span", "", activity?.max_label ? `${activity.max} = ${activity.max_label}` : ""),
  );
  for (const end of ends.children) Object.assign(end, planText());
  return ends;
}

/**
 * "6–10" and "0–4": the points above and below the scale's middle, as the server counts
 * them for `share_high` and `share_low` (hearth/aggregate.py).
 */
function scaleHalves(histogramCounts) {
  const points = scalePoints(histogramCounts).map(([point]) => point);
  const middle = (points[0] + points[points.length - 1]) / 2;
  const span = (list) => (list.length > 1 ? `${list[0]}–${list[list.length - 1]}` : String(list[0]));
  return { high: span(points.filter((point) => point > middle)), low: span(points.filter((point) => point < middle)) };
}

/** +1.4, −0.3 (a real minus sign), or "no change". */
function formatShift(shift) {
  if (shift === null || shift === undefined) return null;
  if (Math.abs(shift) < 0.05) return gettext("no change");
  return `${shift > 0 ? "+" : "−"}${formatTenths(Math.abs(shift))}`;
}

/** 4 → "4.0": averages side by side read best with the same number of decimals. */
function formatTenths(value) {
  return formatNumber(Number(value), { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

/** A count shown as a bare number, read aloud as "n answers". */
function countWithLabel(count) {
  const label = node("span", "results-column__count", String(count));
  // Not inside a template literal: the catalog's extractor would not see the message there.
  const noun = ngettext("answer", "answers", count);
  label.append(node("span", "visually-hidden", ` ${noun}`));
  return label;
}

/** A line under a drawing on the phone: how many answered, and what to expect. */
function note(text) {
  return node("p", "results-note", text);
}

/** A line under a drawing on the big screens: how to read it. */
function caption(text) {
  return node("p", "results-caption", text);
}

/** "1 answer", "3 answers", by the page language's plural rules. */
function answers(count) {
  return ngettext("%(num)s answer", "%(num)s answers", count);
}

/** 0.42 → "42%" ("42 %" in French, "42%" in Arabic with Western digits, as Babel writes it). */
function formatPercent(share) {
  return localNumber(share, { style: "percent", maximumFractionDigits: 0 });
}

/** An average: at most one decimal, in the page's language. */
function formatNumber(value, options = { maximumFractionDigits: 1 }) {
  return localNumber(Number(value), options);
}

function formatInteger(count) {
  return localNumber(count);
}

/** An element with a class and optional text (set as text, never parsed). */
function node(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

const DRAWINGS = {
  choice: drawChoice,
  multi: drawMulti,
  scale: drawScale,
  open: drawOpen,
  words: drawWords,
  rank: drawRank,
};

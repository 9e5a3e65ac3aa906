/**
 * Draws what the room has said, for the control room and the projector (docs/protocol.md):
 *
 *   renderResults(container, results, activity, { size: "projector" });      // a `results` payload
 *   renderComparison(container, comparison, activity, { size: "projector" }); // check-in vs check-out
 *   renderReactions(container, counts);                                       // {emoji: count}
 *
 * `activity` supplies what the payloads leave out (option texts, scale ends). Only payloads
 * with `hidden: null` are drawn: callers word the hidden states for their own audience.
 * Texts from participants are inserted with textContent, so they can never become markup.
 * Nothing here animates per answer: a count that ticks up in front of a small room lets people
 * guess who just voted, so bars simply take their new size on the next tick.
 */

/** Spoken names of the reactions phones can send (hearth/services/signals.py REACTIONS). */
const REACTION_NAMES = { "💛": "heart", "🙏": "thanks", "👍": "thumbs up", "🤔": "thinking" };

/** Kinds this module can draw. */
export function canDrawResults(kind) {
  return Object.hasOwn(DRAWINGS, kind);
}

/** Replace the content of `container` with the drawing of `results`. */
export function renderResults(container, results, activity, { size = "normal" } = {}) {
  const drawing = node("div", `results results--${results.kind} results--${size}`);
  drawing.append(...DRAWINGS[results.kind](results, activity));
  container.replaceChildren(drawing);
}

/** Horizontal bars, one per option in plan order, each with its count and share of answers. */
function drawChoice(results, activity) {
  const counts = results.counts ?? [];
  const total = counts.reduce((sum, count) => sum + count, 0);
  return [shareBars(activity.options, counts, total)];
}

/** Like choice, but each person could pick several: shares are of people, not of picks. */
function drawMulti(results, activity) {
  const people = results.respondents ?? 0;
  return [
    shareBars(activity.options, results.counts ?? [], people),
    node("p", "results-caption", `Share of the ${people.toLocaleString()} people who answered; each could pick more than one.`),
  ];
}

/** Options from the highest average place down, with Borda points as bar length. */
function drawRank(results, activity) {
  const scores = results.scores ?? [];
  const places = results.mean_rank ?? [];
  const top = Math.max(1, ...scores);
  const order = activity.options
    .map((option, index) => ({ option, score: scores[index] ?? 0, place: places[index] }))
    .sort((a, b) => (a.place ?? Infinity) - (b.place ?? Infinity));
  const list = node("ol", "results-bars results-bars--ranked");
  for (const { option, score, place } of order) {
    const figure = place === null || place === undefined ? "–" : `avg. place ${formatNumber(place)}`;
    list.append(barRow(option, score / top, figure));
  }
  return [list, node("p", "results-caption", "Longer bars were put nearer the top of people's lists.")];
}

/** The words people gave, most given first and larger; hidden ones only reach the facilitator. */
function drawWords(results) {
  const words = results.words ?? [];
  if (!words.length) return [node("p", "results-empty", "No words yet.")];
  const most = Math.max(...words.map((word) => word.count));
  const cloud = node("ul", "results-words");
  for (const word of words) {
    const item = node("li", word.hidden ? "results-word is-hidden" : "results-word", word.text);
    // 1em for the rarest word up to 2.6em for the most given, so one glance shows the weight.
    item.style.fontSize = `${1 + (most > 1 ? ((word.count - 1) / (most - 1)) * 1.6 : 0)}em`;
    item.append(node("span", "results-word__count", ` ${word.count}`));
    cloud.append(item);
  }
  return [cloud];
}

/** A column per scale point (every point present, so gaps show), then the end labels and centre. */
function drawScale(results, activity) {
  const points = scalePoints(results.histogram);
  const highest = Math.max(1, ...points.map(([, count]) => count));
  return [histogram(points, (count) => count / highest), scaleEnds(activity), centreLine(results)];
}

/**
 * Check-in and check-out side by side, then how the group's average and the shares of high and
 * low scores moved. The two sides are separate snapshots of the group (the server never links
 * one person's answers), so every word here is about "the group", never about anyone changing.
 */
export function renderComparison(container, comparison, activity, { size = "normal" } = {}) {
  const { pre, post } = comparison;
  // Bars are shares of each side's answers on one common scale: the sides may differ in size.
  const top = Math.max(
    ...[pre, post].flatMap((side) => scalePoints(side.histogram).map(([, count]) => count / side.n)),
  );
  const sides = node("div", "comparison__sides");
  sides.append(comparisonSide("Check-in", pre, top, activity), comparisonSide("Check-out", post, top, activity));
  const drawing = node("div", `results comparison results--${size}`);
  drawing.append(
    sides,
    comparisonShifts(comparison),
    node("p", "results-caption", "The group's answers at two moments. They are not linked from one person to the other."),
  );
  container.replaceChildren(drawing);
}

/** One side of a comparison: its name, how many answered, its histogram and the scale's ends. */
function comparisonSide(name, side, top, activity) {
  const figure = node("figure", "comparison__side");
  const caption = node("figcaption", "comparison__name", name);
  caption.append(node("span", "comparison__n", ` · ${answersText(side.n)}`));
  figure.append(
    caption,
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
  row("Average", formatTenths(pre.mean), formatTenths(post.mean), formatShift(shift));
  row(`Scores of ${high}`, formatPercent(pre.share_high), formatPercent(post.share_high));
  row(`Scores of ${low}`, formatPercent(pre.share_low), formatPercent(post.share_low));
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
    symbol.setAttribute("aria-label", REACTION_NAMES[emoji] ?? "reaction");
    item.append(symbol, node("span", "reactions-tally__count", count.toLocaleString()));
    list.append(item);
  }
  container.replaceChildren(list);
}

/** Approved texts as cards, in the server's shuffled order (no timestamps, no authors). */
function drawOpen(results) {
  const entries = results.entries ?? [];
  if (!entries.length) return [node("p", "results-empty", "No answers have been approved yet.")];
  const list = node("ul", "results-entries");
  for (const text of entries) list.append(node("li", "results-entry", text));
  return [list];
}

/** A bar per option whose length is its share of `total`, with the count and percentage. */
function shareBars(options, counts, total) {
  const list = node("ol", "results-bars");
  options.forEach((option, index) => {
    const count = counts[index] ?? 0;
    const share = total ? count / total : 0;
    list.append(barRow(option, share, `${count.toLocaleString()} · ${formatPercent(share)}`));
  });
  return list;
}

/** One labelled bar; `fraction` (0..1) is its length. */
function barRow(label, fraction, figure) {
  const row = node("li", "results-bar");
  const track = node("span", "results-bar__track");
  const fill = node("span", "results-bar__fill");
  // A share of the whole, not of the largest bar, so that lengths compare honestly.
  fill.style.inlineSize = `${fraction * 100}%`;
  track.append(fill);
  track.setAttribute("aria-hidden", "true");
  row.append(node("span", "results-bar__label", label), track, node("span", "results-bar__figure", figure));
  return row;
}

/** "Average 6.2 · Median 6", or nothing when the server sent no centre. */
function centreLine({ mean, median }) {
  const parts = [];
  if (mean !== null && mean !== undefined) parts.push(`Average ${formatNumber(mean)}`);
  if (median !== null && median !== undefined) parts.push(`Median ${formatNumber(median)}`);
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
    bar.style.blockSize = `${fraction(count) * 100}%`;
    // A screen reader reads "7", then "3 answers": CSS puts the point under the column
    // although it comes first.
    bar.append(figures ? countWithLabel(count) : node("span", "visually-hidden", answersText(count)));
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
  if (Math.abs(shift) < 0.05) return "no change";
  return `${shift > 0 ? "+" : "−"}${formatTenths(Math.abs(shift))}`;
}

/** 4 → "4.0": averages side by side read best with the same number of decimals. */
function formatTenths(value) {
  return Number(value).toLocaleString(undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

/** A count shown as a bare number, read aloud as "n answers". */
function countWithLabel(count) {
  const label = node("span", "results-column__count", String(count));
  label.append(node("span", "visually-hidden", count === 1 ? " answer" : " answers"));
  return label;
}

/** "1 answer", "3 answers". */
function answersText(count) {
  return `${count.toLocaleString()} ${count === 1 ? "answer" : "answers"}`;
}

function formatPercent(share) {
  return `${Math.round(share * 100)}%`;
}

function formatNumber(value) {
  return Number(value).toLocaleString(undefined, { maximumFractionDigits: 1 });
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

/**
 * Draws a visible `results` payload (docs/protocol.md) for the control room and the projector.
 *
 *   renderResults(container, results, activity, { size: "projector" });
 *
 * `activity` supplies what the payload leaves out (option texts, scale ends). Only payloads
 * with `hidden: null` are drawn: callers word the hidden states for their own audience.
 * Texts from participants are inserted with textContent, so they can never become markup.
 * Nothing here animates per answer: a count that ticks up in front of a small room lets people
 * guess who just voted, so bars simply take their new size on the next tick.
 */

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
  const points = Object.entries(results.histogram ?? {})
    .map(([point, count]) => [Number(point), count])
    .sort(([a], [b]) => a - b);
  const highest = Math.max(1, ...points.map(([, count]) => count));
  const histogram = node("ol", "results-histogram");
  histogram.style.setProperty("--points", String(points.length));
  for (const [point, count] of points) {
    const column = node("li", "results-column");
    const well = node("span", "results-column__well");
    const bar = node("span", "results-column__bar");
    bar.style.blockSize = `${(count / highest) * 100}%`;
    // The count rides on top of its bar. A screen reader reads "7", then "3 answers":
    // CSS puts the point under the column although it comes first.
    bar.append(countWithLabel(count));
    well.append(bar);
    column.append(node("span", "results-column__point", String(point)), well);
    histogram.append(column);
  }
  const ends = node("div", "results-scale-ends");
  ends.append(
    node("span", "", activity.min_label ? `${activity.min} = ${activity.min_label}` : ""),
    node("span", "", activity.max_label ? `${activity.max} = ${activity.max_label}` : ""),
  );
  return [histogram, ends, centreLine(results)];
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

/** A count shown as a bare number, read aloud as "n answers". */
function countWithLabel(count) {
  const label = node("span", "results-column__count", String(count));
  label.append(node("span", "visually-hidden", count === 1 ? " answer" : " answers"));
  return label;
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

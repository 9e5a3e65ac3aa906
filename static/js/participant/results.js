/**
 * Group results as phones may see them. Only what the server sent is drawn; the server sends
 * no pass count to phones, because with a handful of people it singles someone out.
 */
import { h } from "../common/dom.js";

/** The results panel for an activity, or null when there is nothing to say. */
export function resultsPanel(activity, results, minGroup) {
  if (!results) return null;
  if (results.hidden === "below_threshold") {
    return h("p", { class: "results-waiting" }, `Results appear once at least ${minGroup} people have answered.`);
  }
  if (results.hidden === "not_revealed") {
    return h("p", { class: "results-waiting" }, "Results will be shown by the facilitator.");
  }
  const draw = DRAWINGS[activity.kind];
  return draw ? h("section", { class: "results", "aria-label": "Group results" }, draw(activity, results)) : null;
}

/** One bar per option with its count and share of the answers. */
function choiceResults(activity, results) {
  const counts = results.counts ?? [];
  const total = sum(counts);
  return [
    h("h2", { class: "results-title" }, "Group results"),
    barList(activity.options, counts, total),
    h("p", { class: "results-note" }, plural(total, "answer")),
  ];
}

/** Like choice, but shares are of people, since each could pick several options. */
function multiResults(activity, results) {
  const people = results.respondents ?? 0;
  return [
    h("h2", { class: "results-title" }, "Group results"),
    barList(activity.options, results.counts ?? [], people),
    h("p", { class: "results-note" }, `${plural(people, "person", "people")} answered; each could pick more than one.`),
  ];
}

/** A histogram over every point of the scale, with the mean. */
function scaleResults(activity, results) {
  const points = Object.entries(results.histogram ?? {}).sort(([a], [b]) => Number(a) - Number(b));
  const highest = Math.max(1, ...points.map(([, count]) => count));
  const total = sum(points.map(([, count]) => count));
  const mean = results.mean === null || results.mean === undefined ? "" : `Average ${oneDecimal(results.mean)} · `;
  return [
    h("h2", { class: "results-title" }, "Group results"),
    h(
      "ol",
      { class: "histogram" },
      points.map(([point, count]) => {
        const column = h("span", { class: "column" });
        column.style.setProperty("--share", String(count / highest));
        return h(
          "li",
          {},
          h("span", { class: "track", "aria-hidden": "true" }, h("span", { class: "column-count" }, String(count)), column),
          h("span", { class: "column-point", "aria-hidden": "true" }, point),
          h("span", { class: "visually-hidden" }, `${point}: ${count}`),
        );
      }),
    ),
    h("p", { class: "results-note" }, mean, plural(total, "answer")),
  ];
}

/** Options from the group's first to last place, by combined (Borda) score. */
function rankResults(activity, results) {
  const scores = results.scores ?? [];
  const meanRank = results.mean_rank ?? [];
  const order = activity.options.map((_, index) => index).sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0));
  const top = Math.max(1, ...scores);
  return [
    h("h2", { class: "results-title" }, "The group's order"),
    h(
      "ol",
      { class: "bars ranked" },
      order.map((index) =>
        h(
          "li",
          { class: "bar-row" },
          h("span", { class: "bar-label" }, activity.options[index]),
          bar(scores[index] ?? 0, top),
          h("span", { class: "bar-figure" }, meanRank[index] ? `avg. place ${oneDecimal(meanRank[index])}` : ""),
        ),
      ),
    ),
  ];
}

/** A simple word cloud: bigger words were given by more people. */
function wordsResults(activity, results) {
  const words = results.words ?? [];
  const top = Math.max(1, ...words.map((word) => word.count));
  return [
    h("h2", { class: "results-title" }, "Group words"),
    words.length
      ? h(
          "ul",
          { class: "cloud" },
          words.map((word) => {
            const item = h("li", {}, word.text, h("span", { class: "visually-hidden" }, `: ${word.count}`));
            item.style.setProperty("--weight", String(word.count / top));
            return item;
          }),
        )
      : h("p", { class: "results-note" }, "No words to show yet."),
  ];
}

/** Approved open answers, as plain text. */
function openResults(activity, results) {
  const entries = results.entries ?? [];
  return [
    h("h2", { class: "results-title" }, "Shared answers"),
    entries.length
      ? h("ul", { class: "entries" }, entries.map((text) => h("li", {}, text)))
      : h("p", { class: "results-note" }, "No answers have been shared yet."),
    results.pending ? h("p", { class: "results-note" }, "More may appear after the facilitator reviews them.") : null,
  ];
}

function barList(labels, counts, base) {
  return h(
    "ul",
    { class: "bars" },
    labels.map((label, index) => {
      const count = counts[index] ?? 0;
      const share = base ? Math.round((count / base) * 100) : 0;
      return h(
        "li",
        { class: "bar-row" },
        h("span", { class: "bar-label" }, label),
        bar(count, base),
        h("span", { class: "bar-figure" }, `${count} · ${share}%`),
      );
    }),
  );
}

function bar(value, full) {
  const fill = h("span", { class: "bar-fill" });
  fill.style.setProperty("--share", String(full ? value / full : 0));
  return h("span", { class: "bar", "aria-hidden": "true" }, fill);
}

function sum(numbers) {
  return numbers.reduce((total, value) => total + value, 0);
}

function plural(count, one, many = `${one}s`) {
  return `${count} ${count === 1 ? one : many}`;
}

function oneDecimal(number) {
  return Number(number).toLocaleString(undefined, { maximumFractionDigits: 1 });
}

const DRAWINGS = {
  choice: choiceResults,
  multi: multiResults,
  scale: scaleResults,
  open: openResults,
  words: wordsResults,
  rank: rankResults,
};

/**
 * What the projector draws for the current activity: a content slide, or a question with its
 * results (once revealed and over the threshold) or a calm line saying when they will appear.
 */
import { canDrawResults, renderComparison, renderResults } from "../common/results.js";
import { answeredText, h, paragraphs } from "../common/dom.js";
import { formatNumber, gettext, ngettext, planText } from "../common/i18n.js";

// The headings of untitled slides (the page's language, not the plan's).
const STYLE_LABELS = {
  grounding: () => gettext("A pause to ground"),
  agreement: () => gettext("Our group agreement"),
  note: () => gettext("A note"),
};

/** Children of the stage for a content slide. */
export function contentSlide(activity) {
  const style = activity.style ?? "psychoeducation";
  if (style === "quote") {
    return [
      h(
        "figure",
        { class: "slide-quote", ...planText() },
        h("blockquote", {}, paragraphs(activity.body)),
        activity.attribution ? h("figcaption", {}, `— ${activity.attribution}`) : null,
      ),
    ];
  }
  return [
    h(
      "article",
      { class: `slide-content slide-content--${style}` },
      // The plan's text is marked with the plan's language; a heading of ours is the page's.
      activity.title ? h("h1", planText(), activity.title) : h("h1", {}, STYLE_LABELS[style]?.() ?? ""),
      h("div", { class: "slide-content__body", ...planText() }, paragraphs(activity.body)),
    ),
  ];
}

/** Children of the stage for a question; `slot` is the element results are drawn into. */
export function questionSlide(activity, slot) {
  return [
    activity.note ? h("p", { class: "slide-note", ...planText() }, activity.note) : null,
    h("h1", { class: "slide-prompt", ...planText() }, activity.prompt),
    slot,
  ];
}

/**
 * Fill `slot` for the current results: the drawing when visible, otherwise what people will
 * answer on their phones and a calm line about when results appear. Below the threshold no
 * count is shown: "2 responses" in a room of three tells everyone who has not answered yet.
 * A revealed check-out shows the group's check-in beside it instead (`snapshot.comparison`,
 * sent only once revealed); while either side is below the threshold, the check-out alone.
 */
export function fillResults(slot, snapshot, results) {
  const { activity, comparison, min_group: minGroup } = snapshot;
  if (comparison?.hidden === null) {
    const drawing = h("div", { class: "slide-results" });
    renderComparison(drawing, comparison, activity, { audience: "projector" });
    slot.replaceChildren(drawing);
    return true;
  }
  const visible = results?.hidden === null && canDrawResults(activity.kind);
  const drawing = h("div", { class: "slide-results" });
  const lines = [];
  if (visible) {
    renderResults(drawing, results, activity, { audience: "projector" });
    lines.push(answeredText(results.answered));
  } else {
    drawing.append(...preview(activity));
    if (results?.hidden === "not_revealed") {
      lines.push(gettext("Results will appear when the facilitator reveals them"), answeredText(results.answered));
    } else {
      lines.push(
        ngettext("Results appear once at least %(num)s person has answered.", "Results appear once at least %(num)s people have answered.", minGroup),
      );
    }
  }
  slot.replaceChildren(drawing, h("p", { class: "slide-status" }, lines.join(" · ")));
  return visible;
}

/** What people answer on their phones, shown on the projector while results are hidden. */
function preview(activity) {
  if (activity.options) {
    return [h("ol", { class: "slide-options" }, activity.options.map((option) => h("li", planText(), option)))];
  }
  if (activity.kind === "scale") {
    const end = (value, label) =>
      label ? [`${formatNumber(value)} = `, h("span", planText(), label)] : formatNumber(value);
    return [
      h(
        "p",
        { class: "slide-scale" },
        h("span", {}, end(activity.min, activity.min_label)),
        h("span", { class: "slide-scale__dots", "aria-hidden": "true" }, "…"),
        h("span", {}, end(activity.max, activity.max_label)),
      ),
    ];
  }
  if (activity.kind === "words") return [h("p", { class: "slide-hint" }, gettext("Send a word from your phone."))];
  return [
    h("p", { class: "slide-hint" }, gettext("Write your answer on your phone. Answers are shown once the facilitator approves them.")),
  ];
}

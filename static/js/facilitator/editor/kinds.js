/**
 * What the editor knows about each activity kind: its name for people, the fields it has
 * (docs/plan-format.md), what a new one starts with, and how one kind turns into another.
 * The server's validator (hearth/plans.py) stays the authority on what is valid. Names and
 * labels are in the page's language (static/js/common/i18n.js).
 */
import { gettext } from "../../common/i18n.js";

// `name` labels the kind, `adds` says it inside a sentence ("Added activity 3: a slide."),
// `about` is its line in the "Add an activity" picker.
export const KINDS = {
  content: {
    name: gettext("Slide"),
    adds: gettext("a slide"),
    about: gettext("Text to read: information, a quote, a grounding pause or a group agreement."),
  },
  choice: { name: gettext("Choice poll"), adds: gettext("a choice poll"), about: gettext("People pick one option.") },
  multi: {
    name: gettext("Multiple choice"),
    adds: gettext("a multiple-choice poll"),
    about: gettext("People pick one or several options."),
  },
  scale: { name: gettext("Scale"), adds: gettext("a scale"), about: gettext("A number on a line, like 0 to 10.") },
  open: {
    name: gettext("Open question"),
    adds: gettext("an open question"),
    about: gettext("A short written answer you approve before it shows."),
  },
  words: { name: gettext("Word cloud"), adds: gettext("a word cloud"), about: gettext("Up to 3 words each, shown as a cloud.") },
  rank: { name: gettext("Ranking"), adds: gettext("a ranking"), about: gettext("People put options in order.") },
};

export const KIND_ORDER = ["content", "choice", "multi", "scale", "open", "words", "rank"];

export const CONTENT_STYLES = [
  ["psychoeducation", gettext("Information"), gettext("Something to learn or think about.")],
  ["quote", gettext("Quote"), gettext("Words someone said, with who said them.")],
  ["grounding", gettext("Grounding pause"), gettext("A calm moment, with a slow breathing circle on phones.")],
  ["agreement", gettext("Group agreement"), gettext("How the group will be together.")],
  ["note", gettext("A note"), gettext("A heads-up, marked with an amber edge.")],
];

export const REVEAL_MODES = [
  ["manual", gettext("When I press Reveal")],
  ["live", gettext("As answers come in")],
  ["on_close", gettext("When the question closes")],
];

export const PAIRS = [
  ["", gettext("No")],
  ["pre", gettext("Yes: this is the check-in (before)")],
  ["post", gettext("Yes: this is the check-out (after)")],
];

const WITH_OPTIONS = new Set(["choice", "multi", "rank"]);
const ANSWER_FIELDS = ["title", "prompt", "reveal", "seconds", "pair", "note", "script"];

/** The fields each kind may carry (besides `kind`), as the plan format allows them. */
export const FIELDS = {
  content: ["title", "body", "style", "attribution", "note", "script"],
  choice: [...ANSWER_FIELDS, "options"],
  multi: [...ANSWER_FIELDS, "options", "max_choices"],
  scale: [...ANSWER_FIELDS, "min", "max", "min_label", "max_label"],
  open: [...ANSWER_FIELDS, "max_length"],
  words: [...ANSWER_FIELDS, "max_words"],
  rank: [...ANSWER_FIELDS, "options"],
};

// How the server's messages name a field ('max_choices'), and how the form labels it.
export const FIELD_LABELS = {
  title: gettext("Heading"),
  prompt: gettext("Question"),
  body: gettext("Text"),
  style: gettext("Style"),
  attribution: gettext("Who said it"),
  options: gettext("Options"),
  option: gettext("Options"),
  max_choices: gettext("Most choices per person"),
  min: gettext("Lowest number"),
  max: gettext("Highest number"),
  min_label: gettext("Label for the lowest number"),
  max_label: gettext("Label for the highest number"),
  max_length: gettext("Longest answer"),
  max_words: gettext("Words per person"),
  reveal: gettext("Show results"),
  seconds: gettext("Timer"),
  pair: gettext("Before/after comparison"),
  note: gettext("Content note"),
  script: gettext("Your script"),
  kind: gettext("Type"),
};

/** A new activity of a kind, with the settings a counsellor would most often want. */
export function blankActivity(kind) {
  switch (kind) {
    case "content":
      return { kind, style: "psychoeducation", title: "", body: "" };
    case "choice":
    case "multi":
    case "rank":
      return { kind, prompt: "", options: ["", ""], reveal: "manual" };
    case "scale":
      return { kind, prompt: "", min: 0, max: 10, min_label: "", max_label: "", reveal: "manual" };
    case "open":
      return { kind, prompt: "", max_length: 280, reveal: "manual" };
    case "words":
      return { kind, prompt: "", max_words: 3, reveal: "manual" };
    default:
      throw new Error(`unknown kind ${kind}`);
  }
}

/** The activity turned into another kind, keeping what still makes sense (text, options). */
export function convertActivity(activity, kind) {
  const next = blankActivity(kind);
  const text = activity.prompt || activity.title || activity.body || "";
  if (kind === "content") {
    next.title = activity.title || (activity.prompt ?? "");
    if (activity.prompt && activity.title) next.body = activity.prompt;
  } else {
    next.prompt = activity.kind === "content" ? activity.body || activity.title || "" : text;
    if (activity.kind !== "content" && activity.title) next.title = activity.title;
    for (const field of ["reveal", "seconds", "pair"]) if (activity[field] !== undefined) next[field] = activity[field];
  }
  if (WITH_OPTIONS.has(kind) && Array.isArray(activity.options)) next.options = [...activity.options];
  if (activity.note) next.note = activity.note;
  if (activity.script) next.script = activity.script;
  return next;
}

export function hasOptions(kind) {
  return WITH_OPTIONS.has(kind);
}

/** A short line naming the activity in the list: its question, else its heading or text. */
export function summaryOf(activity) {
  const text = [activity.prompt, activity.title, activity.body].find((part) => part && part.trim());
  return text ? text.trim().split("\n")[0] : "";
}

/**
 * The activity as the plan format wants it: only its kind's fields, blank text left out,
 * blank options dropped, numbers as numbers. This is what is saved and what phones preview.
 */
export function cleanActivity(activity) {
  const clean = { kind: activity.kind };
  for (const field of FIELDS[activity.kind] ?? []) {
    let value = activity[field];
    if (field === "attribution" && activity.style !== "quote") continue;
    if (field === "options") value = (value ?? []).filter((option) => option.trim() !== "");
    if (typeof value === "string" && value.trim() === "") continue;
    if (value === undefined || value === null) continue;
    clean[field] = value;
  }
  return clean;
}

/**
 * The activity as a phone receives it: clean, with the server's defaults filled in, and without
 * the facilitator's script, which no phone ever gets (hearth.kinds.public_activity).
 */
export function phoneActivity(activity, id, index) {
  const { script: _script, ...clean } = cleanActivity(activity);
  const trimmed = Object.fromEntries(
    Object.entries(clean).map(([key, value]) => [key, typeof value === "string" ? value.trim() : value]),
  );
  const defaults = {
    content: { style: "psychoeducation" },
    scale: { min: 1, max: 5 },
    open: { max_length: 280 },
    words: { max_words: 3 },
    multi: { max_choices: clean.options?.length },
  }[activity.kind];
  const withDefaults = { ...defaults, ...trimmed };
  if (hasOptions(activity.kind)) withDefaults.options = (withDefaults.options ?? []).map((option) => option.trim());
  if (activity.kind === "scale") {
    // Out-of-range numbers are refused on save; meanwhile draw no more points than a scale can have.
    withDefaults.min = Math.max(0, Math.min(10, Math.trunc(withDefaults.min) || 0));
    withDefaults.max = Math.max(0, Math.min(10, Math.trunc(withDefaults.max) || 0));
  }
  return { id, index, reveal: "manual", ...withDefaults };
}

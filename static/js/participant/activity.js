/**
 * One activity on the phone: an optional content note first, then the slide or the question with
 * its answer widget, Send and Pass, what happened to my answer, a countdown, and the results.
 *
 *   const view = createActivityView(activity, { minGroup, noteChoice, onNoteChoice, onAnswer, onPass });
 *   view.update({ accepting, mine, pending, error, online });
 *   view.showResults(results); view.setCountdown(closesIn); view.heading(); view.destroy();
 *
 * `mine` is `{value, passed}` or null; `pending` is the outbox's `{event, payload}` not yet acked;
 * `noteChoice` is what this tab chose at the content note before ("continue", "skip" or undefined).
 */
import { createCountdown } from "../common/countdown.js";
import { h, paragraphs, uniqueId } from "../common/dom.js";
import { gettext, ngettext, planText } from "../common/i18n.js";
import { canDrawResults, renderResults } from "../common/results.js";
import { WIDGETS } from "./widgets.js";

// Shown above a titled slide of these styles, and as the heading of an untitled one.
const STYLE_LABELS = {
  grounding: () => gettext("Grounding pause"),
  agreement: () => gettext("Our group agreement"),
  note: () => gettext("A note"),
};

// Headings for screen readers on untitled slides of the other styles.
const STYLE_NAMES = { psychoeducation: () => gettext("Something to consider"), quote: () => gettext("A quote") };

const passLabel = () => gettext("Pass — I'd rather not answer");

export function createActivityView(activity, { minGroup, noteChoice, onNoteChoice, onAnswer, onPass }) {
  const answerable = activity.kind in WIDGETS;
  const main = answerable
    ? questionCard(activity, { minGroup, onAnswer, onPass })
    : contentCard(activity);
  const gate = activity.note ? noteCard(activity.note, { onContinue: proceed, onSkip: skip }) : null;
  const skipped = skippedCard(answerable, proceed);
  const results = h("div", { class: "results-slot" });
  const root = h("article", { class: "activity" }, gate?.root, skipped.root, main.root, results);

  let part;
  showPart(gate && !noteChoice ? "note" : noteChoice === "skip" ? "skipped" : "main");

  function showPart(name, { focus = false } = {}) {
    part = name;
    if (gate) gate.root.hidden = name !== "note";
    skipped.root.hidden = name !== "skipped";
    main.root.hidden = name !== "main";
    results.hidden = name !== "main";
    if (focus) currentHeading().focus();
  }

  function proceed() {
    onNoteChoice("continue");
    showPart("main", { focus: true });
  }

  function skip() {
    if (answerable) onPass();
    onNoteChoice("skip");
    showPart("skipped", { focus: true });
  }

  function currentHeading() {
    return { note: gate?.heading, skipped: skipped.heading, main: main.heading }[part];
  }

  return {
    root,
    update: (status) => main.update?.(status),
    confirm: () => (part === "main" ? main.confirm?.() : undefined),
    showResults: (payload) => showResults(results, activity, payload, minGroup),
    setCountdown: (closesIn) => main.countdown?.set(closesIn),
    heading: currentHeading,
    destroy: () => main.countdown?.stop(),
  };
}

/**
 * Group results as phones may see them, or a line saying when they will appear. Only what the
 * server sent is drawn; it sends phones no pass count, because with a handful of people that
 * singles someone out.
 */
function showResults(slot, activity, results, minGroup) {
  if (results?.hidden === null && canDrawResults(activity.kind)) {
    renderResults(slot, results, activity, { audience: "phone" });
  } else if (results?.hidden === "below_threshold") {
    slot.replaceChildren(
      h(
        "p",
        { class: "results-waiting" },
        ngettext(
          "Results appear once at least %(num)s person has answered.",
          "Results appear once at least %(num)s people have answered.",
          minGroup,
        ),
      ),
    );
  } else if (results?.hidden === "not_revealed") {
    slot.replaceChildren(h("p", { class: "results-waiting" }, gettext("Results will be shown by the facilitator.")));
  } else {
    slot.replaceChildren();
  }
}

/** The content note, shown before the activity, with a real choice. */
function noteCard(note, { onContinue, onSkip }) {
  const heading = h("h1", { tabindex: "-1" }, gettext("Before this one"));
  const root = h(
    "section",
    { class: "card note-gate" },
    h("p", { class: "eyebrow" }, gettext("Content note")),
    heading,
    h("div", { ...planText() }, paragraphs(note)),
    h("p", { class: "muted" }, gettext("It may bring up some discomfort. That's expected, and it usually eases. The choice is yours.")),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "button", onclick: onContinue }, gettext("Continue")),
      h("button", { type: "button", class: "secondary", onclick: onSkip }, gettext("Skip this one")),
    ),
  );
  return { root, heading };
}

/** What stays on screen after "Skip this one". */
function skippedCard(answerable, onShow) {
  const heading = h("h1", { tabindex: "-1" }, gettext("Skipped"));
  const root = h(
    "section",
    { class: "card skipped" },
    heading,
    h("p", {}, answerable ? gettext("You passed on this one. Take whatever time you need.") : gettext("Take whatever time you need.")),
    h("button", { type: "button", class: "quiet", onclick: onShow }, gettext("Show it anyway")),
  );
  return { root, heading };
}

/** A content slide: psychoeducation, quote, grounding, agreement or note. */
function contentCard(activity) {
  const style = activity.style ?? "psychoeducation";
  const label = STYLE_LABELS[style]?.();
  const heading = h(
    "h1",
    { tabindex: "-1", class: activity.title || label ? null : "visually-hidden", ...(activity.title ? planText() : {}) },
    activity.title ?? label ?? STYLE_NAMES[style]?.() ?? "",
  );
  const body =
    style === "quote"
      ? h(
          "figure",
          { class: "quote", ...planText() },
          h("blockquote", {}, paragraphs(activity.body)),
          activity.attribution ? h("figcaption", {}, `— ${activity.attribution}`) : null,
        )
      : h("div", { class: "prose", ...planText() }, paragraphs(activity.body));
  const root = h(
    "section",
    { class: `card content style-${style}` },
    activity.title && label ? h("p", { class: "eyebrow" }, label) : null,
    heading,
    style === "grounding" ? h("div", { class: "pacer", "aria-hidden": "true" }) : null,
    body,
  );
  return { root, heading };
}

/**
 * The "closes in" line with its polite warning. role=timer is not announced on every tick, which
 * would be noisy for screen readers; the polite region beside it says the last ten seconds once.
 */
function countdownSlot() {
  const line = h("p", { class: "countdown", role: "timer" });
  const warning = h("p", { class: "visually-hidden", "aria-live": "polite" });
  const root = h("div", { class: "countdown-slot", hidden: true }, line, warning);
  return { root, countdown: createCountdown(line, { slot: root, warning }) };
}

/** A question: prompt, widget, Send and Pass, what happened to my answer, and a countdown. */
function questionCard(activity, { minGroup, onAnswer, onPass }) {
  const headingId = uniqueId("prompt");
  const heading = h("h1", { id: headingId, tabindex: "-1", ...planText() }, activity.prompt);
  // True while the participant has changed the input but not sent it: updates must not undo that.
  let dirty = false;
  let status = { accepting: false, mine: null, pending: undefined, error: null, online: true };
  const widget = WIDGETS[activity.kind](activity, {
    labelledBy: headingId,
    onInput: () => {
      dirty = true;
      render();
    },
  });
  const timer = countdownSlot();
  const send = h("button", { type: "submit" }, gettext("Send answer"));
  const pass = h("button", { type: "button", class: "secondary", onclick: passNow }, passLabel());
  const actions = h("div", { class: "actions" }, send, pass);
  // Focused after a send is acknowledged (app.js), so it can take focus without being a tab stop.
  const statusLine = h("p", { class: "answer-status", tabindex: "-1" });
  const problem = h("p", { class: "problem", role: "alert" });
  const root = h(
    "section",
    { class: "card question", "data-kind": activity.kind },
    activity.title ? h("p", { class: "eyebrow", ...planText() }, activity.title) : null,
    heading,
    timer.root,
    h("form", { class: "answer-form", novalidate: true, onsubmit: submit }, widget.root, actions),
    statusLine,
    problem,
    h("p", { class: "privacy-line" }, privacyLine(activity, minGroup)),
  );

  function submit(event) {
    event.preventDefault();
    const value = widget.read();
    if (value === undefined || !status.accepting) return;
    dirty = false;
    onAnswer(value);
  }

  function passNow() {
    dirty = false;
    onPass();
  }

  function render() {
    const mine = settledAnswer(status);
    const answered = mine && !mine.passed ? mine.value : undefined;
    if (!dirty) widget.write(answered);
    const chosen = widget.read();
    widget.setDisabled(!status.accepting);
    actions.hidden = !status.accepting;
    send.textContent = answered === undefined ? gettext("Send answer") : gettext("Update answer");
    send.disabled = chosen === undefined || sameAnswer(chosen, answered);
    pass.disabled = Boolean(mine?.passed);
    pass.textContent = mine?.passed ? gettext("Passed") : passLabel();
    statusLine.textContent = statusText(status, mine);
    statusLine.hidden = !statusLine.textContent;
    problem.textContent = status.error ?? "";
    problem.hidden = !status.error;
  }

  return {
    root,
    heading,
    countdown: timer.countdown,
    /** Move focus to the line saying where my answer stands. */
    confirm() {
      if (!statusLine.hidden) statusLine.focus();
    },
    update(next) {
      status = next;
      render();
    },
  };
}

/** My answer as it will be once the outbox is empty: the pending message wins over the last ack. */
function settledAnswer({ pending, mine }) {
  if (pending?.event === "pass") return { value: null, passed: true };
  if (pending?.event === "answer") return { value: pending.payload.value, passed: false };
  return mine ?? null;
}

/** Answers are numbers, strings or lists of them: equal when they serialise alike. */
function sameAnswer(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** One calm sentence about where my answer stands. */
function statusText({ pending, accepting, online }, mine) {
  if (pending) return online ? gettext("Sending…") : gettext("Waiting for the connection. It will be sent automatically.");
  if (!accepting) {
    if (mine?.passed) return gettext("This question is closed. You passed on it.");
    if (mine) return gettext("This question is closed. Your answer is in.");
    return gettext("Not open for answers right now.");
  }
  if (mine?.passed) return gettext("You passed on this one. You can still answer until it closes.");
  if (mine) return gettext("Your answer is in — you can change it until this closes.");
  return "";
}

/** Who sees what, said on every question (research/counselling.md §3.3, point 10). */
function privacyLine(activity, minGroup) {
  if (activity.kind === "open") {
    return ngettext(
      "Anonymous. Written answers are shown only after the facilitator approves them, once at least %(num)s person has answered.",
      "Anonymous. Written answers are shown only after the facilitator approves them, once at least %(num)s people have answered.",
      minGroup,
    );
  }
  return ngettext(
    "Anonymous. Shown only as a group total, once at least %(num)s person has answered.",
    "Anonymous. Shown only as a group total, once at least %(num)s people have answered.",
    minGroup,
  );
}

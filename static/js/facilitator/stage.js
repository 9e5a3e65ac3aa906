/**
 * The centre of the control room: what is showing now and its live results.
 *
 * The facilitator sees results before they are revealed (that is how they decide to reveal),
 * but never below the group threshold k: then only how many answered, and when results appear.
 */
import { canDrawResults, renderComparison, renderResults } from "../common/results.js";
import { answeredText, fill, h, paragraphs, withoutScheme } from "../common/dom.js";
import { formatDay, gettext } from "../common/i18n.js";
import { KIND_LABELS } from "./plan-list.js";

const STYLE_LABELS = {
  psychoeducation: "Information",
  quote: "Quote",
  grounding: "Grounding pause",
  agreement: "Group agreement",
  note: "Note",
};

/**
 * `activity` is the full spec of the activity on the stage (the current one, or the one
 * reviewed after the end) with its `id`, `index` and `revealed`, else null; `results` its
 * newest facilitator-audience results, or null.
 */
export function createStage(activityRoot, resultsRoot, comparisonRoot) {
  // The activity part is rebuilt only when what is showing changes, so reading it is calm.
  let shownKey = null;

  function showActivity(control, activity) {
    const key = `${control.phase}:${activity?.index ?? ""}`;
    if (key === shownKey) return;
    shownKey = key;
    const view = activity ? activityView : { lobby: lobbyView, live: selfPacedView, ended: endedView }[control.phase];
    fill(activityRoot, view(control, activity));
  }

  function showResults(control, activity, results) {
    resultsRoot.hidden = !activity || !canDrawResults(activity.kind);
    // Drawn results repeat the options and scale ends, so the question's own list steps aside.
    activityRoot.classList.toggle("has-results", !resultsRoot.hidden && results?.hidden === null);
    if (resultsRoot.hidden) return;
    resultsRoot.replaceChildren(
      h(
        "header",
        { class: "stage-results__head" },
        h("h3", {}, "Results"),
        visibilityTag(control, activity, results),
      ),
      ...resultsBody(activity, results, control.workshop.min_group),
    );
  }

  /** On a check-out (`pair: post`) scale while live, the group's check-in beside it. */
  function showComparison(control, activity) {
    const comparison = control.phase === "live" ? control.comparison : null;
    comparisonRoot.hidden = !comparison;
    if (!comparison) return;
    const shown = comparison.hidden === null;
    const body = h("div", { class: "stage-results__drawing" });
    if (shown) renderComparison(body, comparison, activity, { audience: "facilitator" });
    else {
      body.append(
        h("p", { class: "stage-results__waiting" }, "Not enough answers yet to compare safely."),
        h("p", { class: "muted" }, `The comparison appears once at least ${control.workshop.min_group} people have answered both the check-in and this check-out.`),
      );
    }
    fill(comparisonRoot, [
      h("header", { class: "stage-results__head" }, h("h3", {}, "Check-in and check-out"), shown ? comparisonTag(control) : null),
      body,
    ]);
  }

  return {
    update(control, activity, results) {
      showActivity(control, activity);
      showResults(control, activity, results);
      showComparison(control, activity);
    },
    showResults,
  };
}

function lobbyView(control) {
  const first = control.activities[0];
  return [
    h("p", { class: "eyebrow" }, "Waiting room"),
    h("h3", { class: "stage__prompt" }, "Waiting to start"),
    h(
      "p",
      {},
      "Phones join at ",
      h("strong", {}, withoutScheme(control.workshop.join_url)),
      " or with the code ",
      h("strong", { class: "join-code" }, control.workshop.code),
      ". Open the projector so the room can see the QR code.",
    ),
    first ? h("p", { class: "muted" }, `When the room is ready, start the workshop. It opens with “${first.label}”.`) : null,
  ];
}

/** Live with nothing on the stage: self-paced, where each phone moves through the plan itself. */
function selfPacedView(control) {
  const until = control.workshop.open_until;
  return [
    h("h3", { class: "stage__prompt" }, until ? gettext("Self-paced: open until %(day)s", { day: formatDay(until) }) : gettext("Self-paced")),
    h("p", { class: "muted" }, gettext("Participants move through the plan on their own phones. The plan shows how many answered each step.")),
  ];
}

function endedView() {
  return [
    h("p", { class: "eyebrow" }, "Ended"),
    h("h3", { class: "stage__prompt" }, "This workshop has ended"),
    h("p", {}, "Phones show a thank-you screen, and nobody can answer any more."),
    h("p", { class: "muted" }, "Choose a step in the plan to look back at its results. The room does not see this."),
  ];
}

function activityView(control, activity) {
  const ended = control.phase === "ended" ? " · looking back" : "";
  const step = `Step ${activity.index + 1} of ${control.activities.length}${ended}`;
  if (activity.kind === "content") return contentView(activity, step);
  return [
    h("p", { class: "eyebrow" }, [KIND_LABELS[activity.kind], step, activity.title].filter(Boolean).join(" · ")),
    h("h3", { class: "stage__prompt" }, activity.prompt),
    activity.note ? h("p", { class: "stage__note" }, h("strong", {}, "Content note, shown first on phones: "), activity.note) : null,
    ...answerDetails(activity),
  ];
}

function contentView(activity, step) {
  const style = activity.style ?? "psychoeducation";
  const body =
    style === "quote"
      ? h(
          "figure",
          { class: "stage__quote" },
          h("blockquote", {}, paragraphs(activity.body)),
          activity.attribution ? h("figcaption", {}, `— ${activity.attribution}`) : null,
        )
      : h("div", { class: "stage__body" }, paragraphs(activity.body));
  return [
    h("p", { class: "eyebrow" }, `Slide · ${STYLE_LABELS[style] ?? style} · ${step}`),
    activity.title ? h("h3", { class: "stage__prompt" }, activity.title) : null,
    body,
  ];
}

/**
 * What phones are asked to give. Options and scale ends (`stage__ask`) step aside once results
 * repeat them; how to answer an open question or a word cloud (`stage__how`) stays.
 */
function answerDetails(activity) {
  const options = () => h("ol", { class: "stage__ask stage__options" }, activity.options.map((option) => h("li", {}, option)));
  if (activity.kind === "choice") return [options()];
  if (activity.kind === "multi") {
    const any = activity.max_choices >= activity.options.length;
    return [h("p", { class: "stage__ask" }, any ? "Pick any of:" : `Pick up to ${activity.max_choices} of:`), options()];
  }
  if (activity.kind === "rank") return [h("p", { class: "stage__ask" }, "Put these in order:"), options()];
  if (activity.kind === "words") {
    const most = activity.max_words ?? 3;
    return [h("p", { class: "stage__how" }, most === 1 ? "One word or a short phrase." : `Up to ${most} words or short phrases.`)];
  }
  if (activity.kind === "scale") {
    const end = (value, label) => (label ? `${value} (${label})` : String(value));
    return [h("p", { class: "stage__ask" }, `From ${end(activity.min, activity.min_label)} to ${end(activity.max, activity.max_label)}.`)];
  }
  if (activity.kind === "open") {
    return [
      h(
        "p",
        { class: "stage__how" },
        `Written answers, up to ${activity.max_length ?? 280} characters. Each one waits for your approval before anyone else sees it.`,
      ),
    ];
  }
  return [];
}

/** Whether the room can see these results, or when it will. */
function visibilityTag({ phase, workshop }, { revealed, reveal }, results) {
  const shown = revealed && results?.hidden !== "below_threshold";
  if (phase === "ended") return h("span", { class: "tag" }, shown ? "Was shown to the room" : "Never shown to the room");
  if (shown) {
    return h("span", { class: "tag tag--public" }, "Showing on the projector and phones");
  }
  if (revealed) return h("span", { class: "tag" }, `Revealed: the room sees them from ${workshop.min_group} answers`);
  const until = reveal === "on_close" ? " until answers close" : "";
  return h("span", { class: "tag" }, `Only you can see these${until}`);
}

/** The projector shows the comparison in place of the check-out's results once they are revealed. */
function comparisonTag({ revealed }) {
  return revealed
    ? h("span", { class: "tag tag--public" }, "Showing on the projector")
    : h("span", { class: "tag" }, "Only you can see this until you reveal the results");
}

function resultsBody(activity, results, minGroup) {
  if (!results) return [h("p", { class: "muted" }, "No answers yet.")];
  const tally = [answeredText(results.answered, results.passed)];
  if (results.hidden === "below_threshold") {
    return [
      h(
        "p",
        { class: "stage-results__waiting" },
        `${tally.filter(Boolean).join(" · ")} — results appear at ${minGroup} answers.`,
      ),
    ];
  }
  const drawing = h("div", { class: "stage-results__drawing" });
  renderResults(drawing, results, activity, { audience: "facilitator" });
  if (activity.kind === "open" && results.pending) tally.push(`${results.pending} waiting for approval`);
  return [drawing, h("p", { class: "stage-results__tally" }, tally.filter(Boolean).join(" · "))];
}

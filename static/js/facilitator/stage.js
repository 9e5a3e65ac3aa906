/**
 * The centre of the control room: what is showing now and its live results.
 *
 * The facilitator sees results before they are revealed (that is how they decide to reveal),
 * but never below the group threshold k: then only how many answered, and when results appear.
 */
import { canDrawResults, renderComparison, renderResults } from "../common/results.js";
import { answeredText, fill, h, paragraphs, withParts, withoutScheme } from "../common/dom.js";
import { formatDay, formatNumber, gettext, ngettext, planText } from "../common/i18n.js";
import { KIND_LABELS } from "./plan-list.js";

const STYLE_LABELS = {
  psychoeducation: () => gettext("Information"),
  quote: () => gettext("Quote"),
  grounding: () => gettext("Grounding pause"),
  agreement: () => gettext("Group agreement"),
  note: () => gettext("Note"),
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
        h("h3", {}, gettext("Results")),
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
        h("p", { class: "stage-results__waiting" }, gettext("Not enough answers yet to compare safely.")),
        h(
          "p",
          { class: "muted" },
          ngettext(
            "The comparison appears once at least %(num)s person has answered both the check-in and this check-out.",
            "The comparison appears once at least %(num)s people have answered both the check-in and this check-out.",
            control.workshop.min_group,
          ),
        ),
      );
    }
    fill(comparisonRoot, [
      h("header", { class: "stage-results__head" }, h("h3", {}, gettext("Check-in and check-out")), shown ? comparisonTag(control) : null),
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
    h("p", { class: "eyebrow" }, gettext("Waiting room")),
    h("h3", { class: "stage__prompt" }, gettext("Waiting to start")),
    h(
      "p",
      {},
      ...withParts(gettext("Phones join at %(address)s or with the code %(code)s. Open the projector so the room can see the QR code."), {
        // An address and a code read left to right, on an Arabic page too.
        address: h("strong", { dir: "ltr" }, withoutScheme(control.workshop.join_url)),
        code: h("strong", { class: "join-code", dir: "ltr" }, control.workshop.code),
      }),
    ),
    first
      ? h(
          "p",
          { class: "muted" },
          ...withParts(gettext("When the room is ready, start the workshop. It opens with “%(label)s”."), {
            label: h("span", planText(), first.label),
          }),
        )
      : null,
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
    h("p", { class: "eyebrow" }, gettext("Ended")),
    h("h3", { class: "stage__prompt" }, gettext("This workshop has ended")),
    h("p", {}, gettext("Phones show a thank-you screen, and nobody can answer any more.")),
    h("p", { class: "muted" }, gettext("Choose a step in the plan to look back at its results. The room does not see this.")),
  ];
}

function activityView(control, activity) {
  const place = { step: formatNumber(activity.index + 1), total: formatNumber(control.activities.length) };
  const step = control.phase === "ended" ? gettext("Step %(step)s of %(total)s · looking back", place) : gettext("Step %(step)s of %(total)s", place);
  if (activity.kind === "content") return contentView(activity, step);
  return [
    h("p", { class: "eyebrow" }, KIND_LABELS[activity.kind]?.() ?? activity.kind, " · ", step, activity.title ? [" · ", h("span", planText(), activity.title)] : null),
    h("h3", { class: "stage__prompt", ...planText() }, activity.prompt),
    activity.note
      ? h("p", { class: "stage__note" }, h("strong", {}, gettext("Content note, shown first on phones:")), " ", h("span", planText(), activity.note))
      : null,
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
          h("blockquote", planText(), paragraphs(activity.body)),
          activity.attribution ? h("figcaption", planText(), `— ${activity.attribution}`) : null,
        )
      : h("div", { class: "stage__body", ...planText() }, paragraphs(activity.body));
  return [
    h("p", { class: "eyebrow" }, [KIND_LABELS.content(), STYLE_LABELS[style]?.() ?? style, step].join(" · ")),
    activity.title ? h("h3", { class: "stage__prompt", ...planText() }, activity.title) : null,
    body,
  ];
}

/**
 * What phones are asked to give. Options and scale ends (`stage__ask`) step aside once results
 * repeat them; how to answer an open question or a word cloud (`stage__how`) stays.
 */
function answerDetails(activity) {
  const options = () => h("ol", { class: "stage__ask stage__options", ...planText() }, activity.options.map((option) => h("li", {}, option)));
  if (activity.kind === "choice") return [options()];
  if (activity.kind === "multi") {
    const any = activity.max_choices >= activity.options.length;
    const ask = any ? gettext("Pick any of:") : ngettext("Pick up to %(num)s of:", "Pick up to %(num)s of:", activity.max_choices);
    return [h("p", { class: "stage__ask" }, ask), options()];
  }
  if (activity.kind === "rank") return [h("p", { class: "stage__ask" }, gettext("Put these in order:")), options()];
  if (activity.kind === "words") {
    const most = activity.max_words ?? 3;
    return [h("p", { class: "stage__how" }, ngettext("One word or a short phrase.", "Up to %(num)s words or short phrases.", most))];
  }
  if (activity.kind === "scale") return [h("p", { class: "stage__ask" }, ...scaleEnds(activity))];
  if (activity.kind === "open") {
    const most = activity.max_length ?? 280;
    return [
      h(
        "p",
        { class: "stage__how" },
        ngettext(
          "Written answers, up to %(num)s character. Each one waits for your approval before anyone else sees it.",
          "Written answers, up to %(num)s characters. Each one waits for your approval before anyone else sees it.",
          most,
        ),
      ),
    ];
  }
  return [];
}

/** "From 1 (not at all) to 5 (very much).": the numbers in the page's language, the labels in the plan's. */
function scaleEnds({ min, max, min_label: minLabel, max_label: maxLabel }) {
  const end = (value, label) => (label ? withParts(gettext("%(value)s (%(label)s)"), { value: formatNumber(value), label: h("span", planText(), label) }) : [formatNumber(value)]);
  return withParts(gettext("From %(low)s to %(high)s."), { low: h("span", {}, ...end(min, minLabel)), high: h("span", {}, ...end(max, maxLabel)) });
}

/** Whether the room can see these results, or when it will. */
function visibilityTag({ phase, workshop }, { revealed, reveal }, results) {
  const shown = revealed && results?.hidden !== "below_threshold";
  if (phase === "ended") return h("span", { class: "tag" }, shown ? gettext("Was shown to the room") : gettext("Never shown to the room"));
  if (shown) {
    return h("span", { class: "tag tag--public" }, gettext("Showing on the projector and phones"));
  }
  if (revealed) {
    const from = ngettext("Revealed: the room sees them from %(num)s answer", "Revealed: the room sees them from %(num)s answers", workshop.min_group);
    return h("span", { class: "tag" }, from);
  }
  return h("span", { class: "tag" }, reveal === "on_close" ? gettext("Only you can see these until answers close") : gettext("Only you can see these"));
}

/** The projector shows the comparison in place of the check-out's results once they are revealed. */
function comparisonTag({ revealed }) {
  return revealed
    ? h("span", { class: "tag tag--public" }, gettext("Showing on the projector"))
    : h("span", { class: "tag" }, gettext("Only you can see this until you reveal the results"));
}

function resultsBody(activity, results, minGroup) {
  if (!results) return [h("p", { class: "muted" }, gettext("No answers yet."))];
  const tally = [answeredText(results.answered, results.passed)];
  if (results.hidden === "below_threshold") {
    return [
      h(
        "p",
        { class: "stage-results__waiting" },
        ngettext("%(tally)s — results appear at %(num)s answer.", "%(tally)s — results appear at %(num)s answers.", minGroup, {
          tally: tally.filter(Boolean).join(" · "),
        }),
      ),
    ];
  }
  const drawing = h("div", { class: "stage-results__drawing" });
  renderResults(drawing, results, activity, { audience: "facilitator" });
  if (activity.kind === "open" && results.pending) {
    tally.push(ngettext("%(num)s waiting for approval", "%(num)s waiting for approval", results.pending));
  }
  return [drawing, h("p", { class: "stage-results__tally" }, tally.filter(Boolean).join(" · "))];
}

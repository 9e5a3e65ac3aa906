/**
 * The control room's right column: break requests, reactions, the moderation queue of open
 * answers, and the words of a word cloud. Buttons carry a `data-action` that the page's click
 * handler turns into `act` calls. Texts are already masked by the server and go in as text,
 * never markup.
 */
import { renderReactions } from "../common/results.js";
import { h } from "../common/dom.js";
import { keyedList } from "./keyed-list.js";
import { formatNumber, gettext, ngettext } from "../common/i18n.js";

/**
 * A bare count of "I need a break" signals, never attributed. Requests newer than the last
 * "Noted" in this tab stand out with a suggestion; "Noted" is this tab's own (kept in
 * sessionStorage across a reload, never sent), so a co-facilitator still sees what is new to them.
 */
export function createBreaks({ section, count, hint, noted, storageKey }) {
  let acknowledged = Number(sessionStorage.getItem(storageKey)) || 0;
  let latest = 0;
  // After the end there is no pause left to offer, so the count stays but the prompt goes.
  let ended = false;

  function render(arrived) {
    const fresh = ended ? 0 : Math.max(0, latest - acknowledged);
    count.textContent = latest ? ngettext("%(num)s break request so far", "%(num)s break requests so far", latest) : gettext("None so far.");
    hint.hidden = !fresh;
    const asked = ngettext("Someone asked for a break.", "%(num)s new requests for a break.", fresh);
    const offer = gettext("Consider offering a pause or reminding everyone of the support options.");
    hint.textContent = `${asked} ${offer}`;
    noted.hidden = !fresh;
    section.classList.toggle("is-fresh", fresh > 0);
    if (arrived && fresh) {
      // A soft glow once per new request (none with reduced motion, see base.css).
      section.classList.remove("is-arriving");
      void section.offsetWidth; // a style flush, so that re-adding the class restarts it
      section.classList.add("is-arriving");
    }
  }

  noted.addEventListener("click", () => {
    acknowledged = latest;
    sessionStorage.setItem(storageKey, String(acknowledged));
    render(false);
    // The button hides itself: keep the keyboard here rather than at the top of the page.
    section.focus();
  });

  return {
    update(control) {
      const arrived = control.signals.break > latest;
      latest = control.signals.break;
      ended = control.phase === "ended";
      render(arrived);
    },
  };
}

/** How many of each reaction the room sent, without who or when. */
export function createReactionTally(container) {
  const none = h("p", { class: "reactions__none" }, gettext("None yet."));
  return {
    update(control) {
      const counts = control.signals.reactions ?? {};
      if (Object.values(counts).some(Boolean)) renderReactions(container, counts);
      else container.replaceChildren(none);
    },
  };
}

/** Pending open answers, each with Approve and Reject. */
export function createModeration({ list, empty, count }) {
  const sync = keyedList(list, {
    key: (entry) => entry.response_id,
    create: (entry) =>
      h(
        "li",
        { class: "moderation__item" },
        // Written in whatever language the person chose: its own direction.
        h("p", { class: "moderation__text", dir: "auto" }, entry.text),
        h(
          "div",
          { class: "moderation__actions" },
          h("button", { type: "button", class: "small", "data-action": "approve", "data-response-id": entry.response_id }, gettext("Approve")),
          h("button", { type: "button", class: "secondary small", "data-action": "reject", "data-response-id": entry.response_id }, gettext("Reject")),
        ),
      ),
  });

  return {
    update(control, activity) {
      const queue = control.moderation;
      const waiting = control.moderation_waiting;
      sync(queue);
      count.hidden = !waiting;
      // Read as "3 waiting"; the tab's own name says what.
      const label = ngettext("%(num)s waiting", "%(num)s waiting", waiting);
      count.replaceChildren(h("span", { "aria-hidden": "true" }, formatNumber(waiting)), h("span", { class: "visually-hidden" }, label));
      empty.hidden = queue.length > 0;
      empty.textContent = moderationEmptyText(activity, waiting, control.workshop);
    },
  };
}

function moderationEmptyText(activity, waiting, { min_group: minGroup, pace }) {
  // Self-paced: every open question takes answers at once, so the queue gathers them all.
  const selfPaced = pace === "self";
  if (!selfPaced && activity?.kind !== "open") {
    return gettext("Written answers appear here for approval while an open question is showing.");
  }
  if (waiting) {
    // Below k the server holds texts back even from the facilitator (docs/privacy.md).
    const which = ngettext("%(num)s answer is waiting.", "%(num)s answers are waiting.", waiting);
    const when = ngettext(
      "Answers appear here once %(num)s person has answered.",
      "Answers appear here once %(num)s people have answered.",
      minGroup,
    );
    return `${which} ${when}`;
  }
  if (selfPaced) return gettext("Nothing waiting. Answers to the open questions appear here before anyone else sees them.");
  return gettext("Nothing waiting. New answers appear here before anyone else sees them.");
}

/** The current word cloud's words, each with Hide (from the room) or Show again. */
export function createWordList({ section, list }) {
  const sync = keyedList(list, {
    key: (word) => word.key,
    create: (word) =>
      h(
        "li",
        { class: "word-item" },
        h("span", { class: "word-item__text", dir: "auto" }, word.text),
        h("span", { class: "word-item__count" }),
        h("button", { type: "button", class: "secondary small", "data-word": word.key }),
      ),
    update(item, word) {
      item.classList.toggle("is-hidden", word.hidden);
      item.querySelector(".word-item__count").textContent = formatNumber(word.count);
      const button = item.querySelector("button");
      button.dataset.action = word.hidden ? "show_word" : "hide_word";
      button.textContent = word.hidden ? gettext("Show") : gettext("Hide");
      // The name starts with the visible label ("Show", "Hide") in every language.
      const named = { word: word.text };
      const name = word.hidden
        ? gettext("Show “%(word)s” on the projector and phones", named)
        : gettext("Hide “%(word)s” on the projector and phones", named);
      button.setAttribute("aria-label", name);
    },
  });

  return {
    update(activity, results) {
      const words = activity?.kind === "words" && results?.hidden === null ? results.words : [];
      section.hidden = !words.length;
      sync(words);
    },
  };
}

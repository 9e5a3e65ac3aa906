/**
 * The safety net's care panel (`control.care`, docs/protocol.md): answers and questions with
 * crisis language, held out of the moderation queue and shown here only, with the categories
 * they matched, the workshop's support resources and a short prompt. Release (after a confirm)
 * sends `act {action: "care_release"}`, Dismiss `act {action: "care_dismiss"}`, each with the
 * item's `response_id` or `question_id`. A new item is announced once, politely; several at
 * once are one announcement. Texts are already masked by the server and go in as text.
 */
import { h } from "../common/dom.js";
import { gettext, language, ngettext } from "../common/i18n.js";
import { keyedList } from "./keyed-list.js";

const CATEGORY_LABELS = {
  suicide: () => gettext("Suicide or wanting to die"),
  self_harm: () => gettext("Self-harm"),
  abuse: () => gettext("Abuse"),
  violence: () => gettext("Violence or threats"),
};
// New items that arrive close together are announced as one sentence.
const ANNOUNCE_GATHER_MS = 1500;

const keyOf = (item) => (item.response_id ? `r${item.response_id}` : `q${item.question_id}`);
const idFields = (item) => (item.response_id ? { response_id: item.response_id } : { question_id: item.question_id });

function categoryText(categories) {
  const labels = categories.map((name) => (CATEGORY_LABELS[name] ?? (() => name))());
  const list = new Intl.ListFormat(language(), { style: "long", type: "conjunction" }).format(labels);
  return gettext("Mentions: %(categories)s", { categories: list });
}

function sourceText(item) {
  if (item.question_id) return gettext("An anonymous question");
  return gettext("An answer to step %(number)s", { number: item.activity_index + 1 });
}

function announcement(answers, questions) {
  const parts = [];
  if (answers === 1) parts.push(gettext("An answer needs your care."));
  else if (answers > 1) parts.push(ngettext("%(num)s answer needs your care.", "%(num)s answers need your care.", answers));
  if (questions === 1) parts.push(gettext("A question needs your care."));
  else if (questions > 1) parts.push(ngettext("%(num)s question needs your care.", "%(num)s questions need your care.", questions));
  return parts.join(" ");
}

/**
 * elements: {section, count, list, resources, announce, dialog, fallbackFocus};
 * options: {act(payload)}: sends an action and shows a refusal.
 */
export function createCare(elements, { act }) {
  const { section, count, list, resources, announce, dialog, fallbackFocus } = elements;
  let minGroup = 0;
  let ended = false;
  let seen = null; // the keys drawn so far; null until the first snapshot
  let waiting = { answers: 0, questions: 0 };
  let gatherTimer = null;
  let releasing = null;

  const sync = keyedList(list, {
    key: keyOf,
    create(item) {
      const headingId = `care-item-${keyOf(item)}`;
      const described = { "aria-describedby": headingId };
      return h(
        "li",
        { class: "care__item" },
        h("p", { class: "care__what", id: headingId }, h("strong", {}, categoryText(item.categories)), " · ", sourceText(item)),
        h("blockquote", { class: "care__text", dir: "auto" }),
        h("p", { class: "care__wait" }),
        h(
          "div",
          { class: "care__actions" },
          h("button", { type: "button", class: "secondary small", ...described, onclick: () => confirmRelease(item) }, gettext("Release to the queue")),
          h("button", { type: "button", class: "quiet small", ...described, onclick: () => act({ action: "care_dismiss", ...idFields(item) }) }, gettext("Dismiss")),
        ),
      );
    },
    update(element, item) {
      const text = element.querySelector(".care__text");
      const wait = element.querySelector(".care__wait");
      text.hidden = item.text === null;
      text.textContent = item.text ?? "";
      wait.hidden = item.text !== null;
      // Below k the server holds the words back, as in the moderation queue (docs/privacy.md).
      wait.textContent = ngettext(
        "The words appear here once %(num)s person has answered this step.",
        "The words appear here once %(num)s people have answered this step.",
        minGroup,
      );
      element.querySelector(".care__actions").hidden = ended;
    },
  });

  function confirmRelease(item) {
    releasing = item;
    dialog.showModal();
  }

  dialog.addEventListener("close", () => {
    if (dialog.returnValue === "release" && releasing) act({ action: "care_release", ...idFields(releasing) });
    dialog.returnValue = "";
    releasing = null;
  });

  function gather(items) {
    const fresh = items.filter((item) => !seen.has(keyOf(item)));
    for (const item of fresh) waiting[item.question_id ? "questions" : "answers"] += 1;
    if (!fresh.length || gatherTimer !== null) return;
    gatherTimer = setTimeout(() => {
      const message = announcement(waiting.answers, waiting.questions);
      waiting = { answers: 0, questions: 0 };
      gatherTimer = null;
      // Emptied first, so that the same sentence as last time is read out again.
      announce.textContent = "";
      requestAnimationFrame(() => {
        announce.textContent = message;
      });
    }, ANNOUNCE_GATHER_MS);
  }

  function drawResources(list_) {
    resources.replaceChildren(
      ...(list_ ?? []).map((resource) =>
        // The facilitator's own words, in whatever language they wrote them.
        h("li", { dir: "auto" }, h("strong", {}, resource.name), resource.contact ? ` · ${resource.contact}` : ""),
      ),
    );
    resources.hidden = resources.childElementCount === 0;
  }

  return {
    update(control) {
      const items = control.care ?? [];
      minGroup = control.workshop.min_group;
      ended = control.phase === "ended";
      // The first snapshot announces what is already waiting, once; later ones only what is new.
      if (seen === null) seen = new Set();
      gather(items);
      seen = new Set(items.map(keyOf));
      const hadFocus = section.contains(document.activeElement);
      sync(items);
      section.hidden = items.length === 0;
      if (hadFocus && section.hidden) fallbackFocus.focus();
      count.textContent = String(items.length);
      drawResources(control.resources);
    },
  };
}

/**
 * Answer widgets, one per activity kind that takes answers. Each returns the same small API:
 *
 *   { root, read() -> value | undefined, write(value), setDisabled(bool) }
 *
 * `read` gives the value as the protocol's `answer` expects it (docs/protocol.md), or undefined when
 * nothing usable is entered; `onInput` is called whenever the participant changes the input.
 */
import { h, uniqueId } from "../common/dom.js";
import { gettext, ngettext, planText } from "../common/i18n.js";

// The server's limit for one word (hearth/kinds.py WORD_MAX_LENGTH).
const WORD_MAX_LENGTH = 25;

// Keep in step with .scale-points and .point in participant.css.
const POINT_MIN_WIDTH = 44;
const POINT_GAP = 6;

/** A single choice: big tappable options with native radio semantics. */
function choiceWidget(activity, { labelledBy, onInput }) {
  const name = uniqueId("choice");
  const inputs = activity.options.map((_, index) =>
    h("input", { type: "radio", name, value: String(index), onchange: onInput }),
  );
  const root = h(
    "fieldset",
    { class: "options", "aria-labelledby": labelledBy },
    activity.options.map((text, index) => h("label", { class: "option" }, inputs[index], h("span", { ...planText() }, text))),
  );
  return radioApi(root, inputs);
}

/** Several choices: tick boxes, up to max_choices of them. */
function multiWidget(activity, { labelledBy, onInput }) {
  const most = activity.max_choices ?? activity.options.length;
  const limited = most < activity.options.length;
  const hintId = uniqueId("multi-hint");
  const inputs = activity.options.map((_, index) =>
    h("input", {
      type: "checkbox",
      value: String(index),
      onchange: () => {
        restAtLimit();
        onInput();
      },
    }),
  );
  // At the limit the unticked boxes rest, so nothing is refused after the fact.
  function restAtLimit() {
    const full = inputs.filter((input) => input.checked).length >= most;
    inputs.forEach((input) => {
      input.disabled = full && !input.checked;
    });
  }
  const root = h(
    "fieldset",
    { class: "options", "aria-labelledby": labelledBy, "aria-describedby": limited ? hintId : null },
    limited ? h("p", { class: "hint", id: hintId }, ngettext("Choose up to %(num)s.", "Choose up to %(num)s.", most)) : null,
    activity.options.map((text, index) => h("label", { class: "option" }, inputs[index], h("span", { ...planText() }, text))),
  );
  return {
    root,
    read() {
      const picked = inputs.filter((input) => input.checked).map((input) => Number(input.value));
      return picked.length ? picked : undefined;
    },
    write(value) {
      inputs.forEach((input) => {
        input.checked = Array.isArray(value) && value.includes(Number(input.value));
      });
      restAtLimit();
    },
    setDisabled(disabled) {
      root.disabled = disabled;
    },
  };
}

/** A ranking: tap the options in order; tapping a placed one takes it out again. */
function rankWidget(activity, { labelledBy, onInput }) {
  const hintId = uniqueId("rank-hint");
  let order = [];
  const rows = activity.options.map((text, index) => {
    const badge = h("span", { class: "rank-badge", "aria-hidden": "true" });
    const spoken = h("span", { class: "visually-hidden" });
    const button = h("button", { type: "button", class: "rank-option", onclick: () => toggle(index) }, badge, h("span", { ...planText() }, text), spoken);
    return { index, badge, spoken, button };
  });
  const placed = h("span", { class: "rank-count" });
  const reset = h(
    "button",
    {
      type: "button",
      class: "quiet rank-reset",
      onclick: () => {
        order = [];
        paint();
        onInput();
      },
    },
    gettext("Start over"),
  );
  function toggle(index) {
    order = order.includes(index) ? order.filter((item) => item !== index) : [...order, index];
    paint();
    onInput();
  }
  function paint() {
    for (const { index, badge, spoken, button } of rows) {
      const place = order.indexOf(index) + 1;
      badge.textContent = place ? String(place) : "";
      spoken.textContent = place ? gettext(", number %(place)s", { place }) : gettext(", not placed yet");
      button.setAttribute("aria-pressed", String(place > 0));
    }
    placed.textContent = gettext("%(placed)s of %(total)s placed", { placed: order.length, total: rows.length });
    reset.hidden = order.length === 0;
  }
  paint();
  const root = h(
    "div",
    { class: "rank", role: "group", "aria-labelledby": labelledBy, "aria-describedby": hintId },
    h("p", { class: "hint", id: hintId }, gettext("Tap them in order, starting with your first. Tap one again to take it out.")),
    h("div", { class: "rank-options" }, rows.map((row) => row.button)),
    h("div", { class: "rank-meta" }, placed, reset),
  );
  return {
    root,
    read: () => (order.length === rows.length ? [...order] : undefined),
    write(value) {
      order = Array.isArray(value) ? [...value] : [];
      paint();
    },
    setDisabled(disabled) {
      rows.forEach((row) => {
        row.button.disabled = disabled;
      });
      reset.disabled = disabled;
    },
  };
}

/** A few words: one short box per word, up to max_words. */
function wordsWidget(activity, { labelledBy, onInput }) {
  const most = activity.max_words ?? 3;
  const hintId = uniqueId("words-hint");
  const inputs = Array.from({ length: most }, (_, index) =>
    h("input", {
      type: "text",
      maxlength: String(WORD_MAX_LENGTH),
      autocomplete: "off",
      enterkeyhint: "send",
      "aria-label": most > 1 ? gettext("Word %(number)s", { number: index + 1 }) : gettext("Your word"),
      "aria-describedby": hintId,
      oninput: onInput,
    }),
  );
  const root = h(
    "div",
    { class: "words", role: "group", "aria-labelledby": labelledBy },
    h("div", { class: "word-boxes" }, inputs),
    h(
      "p",
      { class: "hint", id: hintId },
      most > 1
        ? ngettext(
            "Up to %(num)s word or short phrase. Emails, phone numbers and links are removed.",
            "Up to %(num)s words or short phrases. Emails, phone numbers and links are removed.",
            most,
          )
        : gettext("One word or a short phrase. Emails, phone numbers and links are removed."),
    ),
  );
  return {
    root,
    read() {
      const words = inputs.map((input) => input.value.trim()).filter(Boolean);
      return words.length ? words : undefined;
    },
    write(value) {
      inputs.forEach((input, index) => {
        input.value = Array.isArray(value) ? (value[index] ?? "") : "";
      });
    },
    setDisabled(disabled) {
      inputs.forEach((input) => {
        input.disabled = disabled;
      });
    },
  };
}

/** A scale: numbered buttons from min to max, end labels underneath. */
function scaleWidget(activity, { labelledBy, onInput }) {
  const name = uniqueId("scale");
  const endsId = uniqueId("scale-ends");
  const points = [];
  for (let point = activity.min; point <= activity.max; point += 1) points.push(point);
  const endLabel = { [activity.min]: activity.min_label, [activity.max]: activity.max_label };
  const inputs = points.map((point) =>
    h("input", { type: "radio", name, value: String(point), class: "visually-hidden", onchange: onInput }),
  );
  const row = h(
    "div",
    { class: "scale-points" },
    points.map((point, index) =>
      h(
        "label",
        { class: "point" },
        inputs[index],
        h("span", { "aria-hidden": "true" }, String(point)),
        // The number alone is a poor name for the ends; say what they mean.
        h("span", { class: "visually-hidden", ...(endLabel[point] ? planText() : {}) }, endLabel[point] ? `${point}, ${endLabel[point]}` : String(point)),
      ),
    ),
  );
  row.style.setProperty("--cols", String(points.length));
  new ResizeObserver(([entry]) => fitColumns(row, points.length, entry.contentRect.width)).observe(row);
  const ends = h(
    "div",
    { class: "scale-ends", id: endsId },
    h("span", { ...planText() }, activity.min_label ? `${activity.min} = ${activity.min_label}` : ""),
    h("span", { ...planText() }, activity.max_label ? `${activity.max} = ${activity.max_label}` : ""),
  );
  const hasEnds = Boolean(activity.min_label || activity.max_label);
  const root = h(
    "fieldset",
    { class: "scale", "aria-labelledby": labelledBy, "aria-describedby": hasEnds ? endsId : null },
    row,
    hasEnds ? ends : null,
  );
  return radioApi(root, inputs);
}

/** An open prompt: a text box with a live character count against max_length. */
function openWidget(activity, { labelledBy, onInput }) {
  const limit = activity.max_length ?? 280;
  const hintId = uniqueId("open-hint");
  const counterId = uniqueId("open-count");
  const counter = h("span", { class: "counter", id: counterId });
  const textarea = h("textarea", {
    rows: "4",
    maxlength: String(limit),
    "aria-labelledby": labelledBy,
    "aria-describedby": `${hintId} ${counterId}`,
    oninput: () => {
      count();
      onInput();
    },
  });
  function count() {
    counter.textContent = gettext("%(used)s / %(limit)s", { used: textarea.value.length, limit });
    counter.classList.toggle("is-near", textarea.value.length >= limit * 0.9);
  }
  count();
  const root = h(
    "div",
    { class: "open" },
    textarea,
    h(
      "div",
      { class: "open-meta" },
      h("p", { class: "hint", id: hintId }, gettext("Emails, phone numbers and links are removed before anyone sees it.")),
      counter,
    ),
  );
  return {
    root,
    read: () => textarea.value.trim() || undefined,
    write(value) {
      textarea.value = value ?? "";
      count();
    },
    setDisabled(disabled) {
      textarea.disabled = disabled;
    },
  };
}

/** Wrap a scale into as few even rows as fit, rather than leaving one button alone on a row. */
function fitColumns(row, count, width) {
  let rows = 1;
  while (rows < count && Math.ceil(count / rows) * (POINT_MIN_WIDTH + POINT_GAP) - POINT_GAP > width) rows += 1;
  row.style.setProperty("--cols", String(Math.ceil(count / rows)));
}

/** The shared API of radio-based widgets, whose values are whole numbers. */
function radioApi(root, inputs) {
  return {
    root,
    read() {
      const checked = inputs.find((input) => input.checked);
      return checked ? Number(checked.value) : undefined;
    },
    write(value) {
      inputs.forEach((input) => {
        input.checked = Number(input.value) === value;
      });
    },
    setDisabled(disabled) {
      root.disabled = disabled;
    },
  };
}

export const WIDGETS = {
  choice: choiceWidget,
  multi: multiWidget,
  scale: scaleWidget,
  open: openWidget,
  words: wordsWidget,
  rank: rankWidget,
};

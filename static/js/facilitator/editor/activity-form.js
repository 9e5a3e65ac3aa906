/**
 * The form for one activity: every field its kind has (docs/plan-format.md), with labels and
 * hints in plain words. Edits go straight into the activity object; `onChange()` is called after
 * each one so the editor can mark the plan unsaved and redraw the preview.
 *
 *   const form = activityForm(activity, { idPrefix, editable, onChange, onKind, onDuplicate, onDelete });
 *   form.root; form.focusFirst(); form.fieldFor("max") -> the input of that field, or null
 */
import { h } from "../../common/dom.js";
import { gettext, ngettext } from "../../common/i18n.js";
import { scriptBlocks } from "../script-view.js";
import { CONTENT_STYLES, KINDS, KIND_ORDER, PAIRS, REVEAL_MODES, hasOptions } from "./kinds.js";

const OPTIONS_MAX = 10;

export function activityForm(activity, { idPrefix, editable, onChange, onKind, onDuplicate, onDelete }) {
  const fields = new Map();
  const id = (name) => `${idPrefix}-${name}`;

  /** Store a field's value (blank text and empty numbers are left out of the activity). */
  function set(name, value) {
    if (value === undefined || value === "") delete activity[name];
    else activity[name] = value;
    onChange();
  }

  function wrap(name, control, { label, hint, optional = false, wide = false }) {
    const hintId = hint ? id(`${name}-hint`) : null;
    if (hintId) control.setAttribute("aria-describedby", hintId);
    fields.set(name, control);
    return h(
      "div",
      { class: `field${wide ? " field--wide" : ""}`, "data-field": name },
      h("label", { for: control.id }, label, optional ? h("span", { class: "optional" }, " ", gettext("(optional)")) : null),
      hint ? h("p", { class: "field__hint", id: hintId }, hint) : null,
      control,
    );
  }

  function text(name, label, { maxlength, hint, rows, required = false, optional = false, placeholder, wide } = {}) {
    const props = {
      id: id(name),
      // Plan text keeps its own direction: a German question reads left to right on an Arabic page.
      dir: "auto",
      maxlength: String(maxlength),
      required,
      readonly: !editable,
      placeholder,
      oninput: (event) => set(name, event.target.value),
    };
    const control = rows
      ? h("textarea", { ...props, rows: String(rows) }, activity[name] ?? "")
      : h("input", { ...props, type: "text", autocomplete: "off", value: activity[name] ?? "" });
    return wrap(name, control, { label, hint, optional, wide: wide ?? Boolean(rows) });
  }

  function number(name, label, { min, max, hint, placeholder, optional = false } = {}) {
    const control = h("input", {
      id: id(name),
      type: "number",
      inputmode: "numeric",
      step: "1",
      min: String(min),
      max: String(max),
      placeholder,
      readonly: !editable,
      value: activity[name] ?? "",
      oninput: (event) => set(name, event.target.value === "" ? undefined : Number(event.target.value)),
    });
    return wrap(name, control, { label, hint, optional });
  }

  function select(name, label, choices, { hint, onSelect } = {}) {
    const current = activity[name] ?? "";
    const control = h(
      "select",
      {
        id: id(name),
        disabled: !editable,
        onchange: (event) => (onSelect ?? ((value) => set(name, value || undefined)))(event.target.value),
      },
      choices.map(([value, text]) => h("option", { value, selected: String(value) === String(current) }, text)),
    );
    return wrap(name, control, { label, hint });
  }

  const kindChoices = KIND_ORDER.map((kind) => [kind, KINDS[kind].name]);
  const typeField = select("kind", gettext("Type"), kindChoices, { onSelect: (kind) => onKind(kind) });
  const answers = activity.kind !== "content";
  const parts = [h("div", { class: "form-grid" }, typeField, answers ? null : styleField())];

  if (answers) {
    parts.push(
      text("prompt", gettext("Question"), {
        maxlength: 500,
        rows: 2,
        required: true,
        hint: gettext("What people answer on their phones. Up to 500 characters."),
      }),
      text("title", gettext("Heading"), {
        maxlength: 200,
        optional: true,
        wide: true,
        hint: gettext("A few words shown above the question, like “Check-in”."),
      }),
    );
    parts.push(kindFields());
    parts.push(settings());
  } else {
    parts.push(
      text("title", gettext("Heading"), { maxlength: 200, wide: true, hint: gettext("A slide needs a heading, some text, or both.") }),
      text("body", gettext("Text"), {
        maxlength: 4000,
        rows: 6,
        hint: gettext("Leave an empty line between paragraphs. Up to 4,000 characters."),
      }),
    );
    if (activity.style === "quote") {
      parts.push(text("attribution", gettext("Who said it"), { maxlength: 120, optional: true, wide: true }));
    }
  }
  parts.push(
    text("note", gettext("Content note"), {
      maxlength: 600,
      rows: 2,
      optional: true,
      hint: gettext("Shown before this activity, with “Continue” and “Skip this one”. Use it when a topic may be hard for someone."),
    }),
  );
  parts.push(scriptField());
  if (editable) {
    parts.push(
      h(
        "div",
        { class: "activity-form__footer" },
        h("button", { type: "button", class: "secondary small", onclick: onDuplicate }, gettext("Duplicate activity")),
        h("button", { type: "button", class: "secondary small danger-text", onclick: onDelete }, gettext("Delete activity")),
      ),
    );
  }

  /** The facilitator's talking points, with how the control room will show them. */
  function scriptField() {
    const field = text("script", gettext("Your script"), {
      maxlength: 4000,
      rows: 5,
      optional: true,
      hint: gettext(
        "What you want to say here, in the control room and the presenter view. Only you see it: never phones, the projector or exports. Up to 4,000 characters; an empty line between paragraphs, “- ” for a list.",
      ),
    });
    const preview = h("div", { class: "script-text script-preview__text" });
    const box = h(
      "div",
      { class: "script-preview", hidden: !activity.script?.trim() },
      h("p", { class: "script-preview__label" }, gettext("In the control room")),
      preview,
    );
    const draw = () => {
      box.hidden = !activity.script?.trim();
      preview.replaceChildren(...scriptBlocks(activity.script));
    };
    fields.get("script").addEventListener("input", draw);
    draw();
    return h("div", { class: "script-field" }, field, box);
  }

  function styleField() {
    return select(
      "style",
      gettext("Style"),
      CONTENT_STYLES.map(([value, name, about]) => [value, gettext("%(name)s: %(about)s", { name, about })]),
      {
        onSelect: (value) => {
          activity.style = value;
          onChange({ rebuild: true });
        },
      },
    );
  }

  function kindFields() {
    const grid = (...children) => h("div", { class: "form-grid" }, ...children);
    switch (activity.kind) {
      case "choice":
      case "rank":
        return optionsEditor();
      case "multi":
        return h(
          "div",
          {},
          optionsEditor(),
          grid(
            number("max_choices", gettext("Most choices per person"), {
              min: 1,
              max: OPTIONS_MAX,
              optional: true,
              placeholder: gettext("All"),
              hint: gettext("Leave empty to let people pick as many as they like."),
            }),
          ),
        );
      case "scale":
        return grid(
          number("min", gettext("Lowest number"), { min: 0, max: 10, hint: gettext("0 to 10.") }),
          number("max", gettext("Highest number"), { min: 1, max: 10, hint: gettext("Up to 10, above the lowest.") }),
          text("min_label", gettext("Label for the lowest number"), { maxlength: 60, optional: true, placeholder: gettext("Not at all") }),
          text("max_label", gettext("Label for the highest number"), { maxlength: 60, optional: true, placeholder: gettext("Very much") }),
        );
      case "open":
        return grid(
          number("max_length", gettext("Longest answer (characters)"), { min: 10, max: 1000, hint: gettext("10 to 1,000. Usually 280.") }),
        );
      case "words":
        return grid(
          select("max_words", gettext("Words per person"), [
            [1, gettext("1 word")],
            [2, ngettext("Up to %(num)s word", "Up to %(num)s words", 2)],
            [3, ngettext("Up to %(num)s word", "Up to %(num)s words", 3)],
          ], { onSelect: (value) => set("max_words", Number(value)) }),
        );
      default:
        return null;
    }
  }

  function settings() {
    return h(
      "fieldset",
      { class: "settings" },
      h("legend", {}, gettext("Results and timing")),
      h(
        "div",
        { class: "form-grid" },
        select("reveal", gettext("Show results"), REVEAL_MODES, {
          hint: gettext("When the group's results reach the projector and phones."),
          onSelect: (value) => set("reveal", value),
        }),
        number("seconds", gettext("Timer in seconds"), {
          min: 5,
          max: 3600,
          optional: true,
          placeholder: gettext("No timer"),
          hint: gettext("Closes the question when time is up (5 to 3,600)."),
        }),
        select("pair", gettext("Before/after comparison"), PAIRS, {
          hint: gettext("Pair a check-in with a check-out to compare them in the summary."),
        }),
      ),
    );
  }

  /** The list of options: one box each, Enter adds the next, a pasted list fills several. */
  function optionsEditor() {
    const list = h("ol", { class: "options-editor__list" });
    const add = h("button", { type: "button", class: "secondary small", onclick: () => insertAfter(options().length - 1, "") }, gettext("Add option"));
    const hintId = id("options-hint");
    const root = h(
      "fieldset",
      { class: "options-editor", "data-field": "options", "aria-describedby": hintId },
      h("legend", {}, gettext("Options")),
      h(
        "p",
        { class: "field__hint", id: hintId },
        gettext("%(min)s to %(max)s, each different. Press Enter for the next one, or paste a list to add several at once.", {
          min: 2,
          max: OPTIONS_MAX,
        }),
      ),
      list,
      editable ? add : null,
    );
    fields.set("options", root);

    function options() {
      if (!Array.isArray(activity.options)) activity.options = [];
      return activity.options;
    }

    function draw(focusIndex = null) {
      const items = options();
      list.replaceChildren(
        ...items.map((value, index) => {
          const input = h("input", {
            type: "text",
            id: id(`option-${index}`),
            maxlength: "120",
            autocomplete: "off",
            dir: "auto",
            readonly: !editable,
            value,
            "aria-label": gettext("Option %(number)s", { number: index + 1 }),
            oninput: (event) => {
              options()[index] = event.target.value;
              onChange();
            },
            onkeydown: (event) => {
              if (event.key === "Enter" && editable) {
                event.preventDefault();
                insertAfter(index, "");
              }
            },
            onpaste: (event) => pasteList(event, index),
          });
          return h(
            "li",
            { class: "options-editor__item" },
            h("span", { class: "options-editor__number", "aria-hidden": "true", dir: "ltr" }, `${index + 1}.`),
            input,
            editable
              ? h(
                  "button",
                  {
                    type: "button",
                    class: "quiet small",
                    "aria-label": gettext("Remove option %(number)s", { number: index + 1 }),
                    onclick: () => remove(index),
                  },
                  gettext("Remove"),
                )
              : null,
          );
        }),
      );
      add.hidden = items.length >= OPTIONS_MAX;
      if (focusIndex !== null) list.querySelectorAll("input")[Math.max(0, Math.min(focusIndex, items.length - 1))]?.focus();
      if (focusIndex !== null && !items.length) add.focus();
    }

    function insertAfter(index, value) {
      if (options().length >= OPTIONS_MAX) return;
      options().splice(index + 1, 0, value);
      onChange();
      draw(index + 1);
    }

    function remove(index) {
      options().splice(index, 1);
      onChange();
      draw(index);
    }

    /** A pasted list (one option a line, bullets allowed) fills this box and the next ones. */
    function pasteList(event, index) {
      const pasted = event.clipboardData?.getData("text") ?? "";
      const lines = pasted
        .split(/\r?\n/)
        .map((line) => line.replace(/^\s*(?:[-*+•]|\d+[.)]|\[[ xX]?\])\s*/, "").trim())
        .filter(Boolean);
      if (lines.length < 2 || !editable) return;
      event.preventDefault();
      // The pasted lines go where the box is; empty boxes around them are no longer needed.
      const before = options().slice(0, index).filter((option) => option.trim());
      const after = options().slice(index + 1).filter((option) => option.trim());
      const here = options()[index].trim() ? [options()[index]] : [];
      const room = Math.max(OPTIONS_MAX - before.length - here.length - after.length, 0);
      const pastedLines = lines.slice(0, room);
      activity.options = [...before, ...here, ...pastedLines, ...after];
      onChange();
      draw(before.length + here.length + pastedLines.length - 1);
    }

    draw();
    return root;
  }

  const root = h("div", { class: "activity-form" }, parts);

  return {
    root,
    /** The first box to type in: the question, or a slide's heading. */
    focusFirst() {
      (fields.get(answers ? "prompt" : "title") ?? root.querySelector("input, textarea, select"))?.focus();
    },
    /** The control of a field named in a server message ("max", "options", ...), if shown. */
    fieldFor(name) {
      const control = fields.get(name);
      if (name === "options" && control) return control.querySelector("input") ?? control;
      return control ?? null;
    },
    hasOptions: hasOptions(activity.kind),
  };
}

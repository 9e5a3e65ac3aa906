/**
 * Support resources (`control.resources`), which phones show on their break screen. The defaults
 * are dated examples, not authoritative numbers (docs/protocol.md), so until the facilitator has
 * reviewed them (`resources_reviewed`) a gentle banner asks them to. The dialog edits the list
 * and the room's region (`control.region`); each resource says where it helps and in which
 * language (`region`, `language`: "any" or codes), and phones show those that fit the room.
 * Save sends `act {action: "resources", resources, region}` and shows a refusal inside the dialog.
 */
import { h } from "../common/dom.js";
import { formatNumber, gettext } from "../common/i18n.js";

// hearth/resources.py: MAX_RESOURCES and the length of each field.
const MAX_RESOURCES = 12;
const LIMITS = { name: 120, contact: 200, purpose: 200, region: 32, language: 8 };
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `save(resources, region)` sends the list and the room's region and resolves to the ack, or
 * null when it could not be sent;
 * `onSaved()` runs once the server accepted it.
 */
export function createResources(parts, { save, onSaved }) {
  const { banner, openers, dialog, form, list, add, note, error, cancel } = parts;
  let saved = [];
  let savedRegion = "any";
  let opener = null;
  const region = form.elements.namedItem("region");
  // Field ids must stay unique as rows come and go.
  let serial = 0;

  function open(event) {
    opener = event.currentTarget;
    list.replaceChildren(...saved.map((resource) => resourceRow(resource, (serial += 1))));
    if (region) region.value = savedRegion;
    renumber();
    error.hidden = true;
    dialog.showModal();
    list.querySelector("input")?.focus();
  }

  function renumber() {
    [...list.children].forEach((row, position) => {
      const number = { number: formatNumber(position + 1) };
      row.querySelector("legend").textContent = gettext("Resource %(number)s", number);
      row.querySelector(".resources-row__remove").setAttribute("aria-label", gettext("Remove resource %(number)s", number));
    });
    const rows = list.children.length;
    add.disabled = rows >= MAX_RESOURCES;
    note.hidden = rows > 0 && rows < MAX_RESOURCES;
    note.textContent = rows
      ? gettext("Phones can show up to %(most)s.", { most: formatNumber(MAX_RESOURCES) })
      : gettext("Phones will show no support resources.");
  }

  add.addEventListener("click", () => {
    const row = resourceRow({ name: "", contact: "", purpose: "", checked_on: today(), region: "any", language: "any" }, (serial += 1));
    list.append(row);
    renumber();
    row.querySelector("input").focus();
  });

  list.addEventListener("click", (event) => {
    const button = event.target.closest(".resources-row__remove");
    if (!button) return;
    const row = button.closest("li");
    const next = row.nextElementSibling ?? row.previousElementSibling;
    row.remove();
    renumber();
    // Keep the keyboard in the list: on the row that took its place, or on Add.
    (next?.querySelector("input") ?? add).focus();
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    const ack = await save(readRows(list), region ? region.value.trim() || "any" : undefined);
    if (ack?.ok) {
      dialog.close();
      onSaved();
      return;
    }
    error.textContent = ack
      ? (ack.error?.message ?? gettext("That did not work. Please try again."))
      : gettext("Not saved: the control room is offline or still sending another action. Try again in a moment.");
    error.hidden = false;
    error.focus();
  });

  cancel.addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => opener?.focus());
  for (const button of openers) button.addEventListener("click", open);

  return {
    update(control) {
      // Edits in an open dialog are never replaced by a snapshot; the next opening shows them.
      saved = control.resources ?? [];
      savedRegion = control.region ?? "any";
      const editable = control.phase !== "ended";
      banner.hidden = !editable || control.resources_reviewed;
      for (const button of openers) button.hidden = !editable;
      if (!editable && dialog.open) dialog.close();
    },
  };
}

/** One editable resource: name and contact (required), purpose, the day it was checked, and
 * where and in which language it helps (a list saved before these fields reads as "any"). */
function resourceRow(resource, serial) {
  const id = (field) => `resource-${serial}-${field}`;
  const field = (name, label, input) =>
    h("div", { class: `resources-row__field resources-row__field--${name}` }, h("label", { for: id(name) }, label), input);
  const text = (name, required) =>
    // What the facilitator writes may be in any language: its own direction.
    h("input", { type: "text", id: id(name), name, value: resource[name] ?? "", maxlength: LIMITS[name], required, autocomplete: "off", dir: "auto" });
  // "any" or codes; the server checks them (ISO 3166 countries, language tags) and says why.
  const place = (name) =>
    h("input", { type: "text", id: id(name), name, value: resource[name] || "any", maxlength: LIMITS[name], autocomplete: "off", dir: "ltr", spellcheck: "false" });
  // A date picker cannot hold a value that is not a date (set through the API, say), and
  // saving would then erase it; such a value stays in a plain text box.
  const checked = resource.checked_on ?? "";
  const date = h("input", {
    type: !checked || ISO_DATE.test(checked) ? "date" : "text",
    id: id("checked_on"),
    name: "checked_on",
    value: checked,
    maxlength: 10,
  });
  return h(
    "li",
    { class: "resources-row" },
    h(
      "fieldset",
      {},
      h("legend", {}),
      h(
        "div",
        { class: "resources-row__fields" },
        field("name", gettext("Name"), text("name", true)),
        field("contact", gettext("How to reach them"), text("contact", true)),
        field("purpose", gettext("What for"), text("purpose", false)),
        field("checked_on", gettext("Checked on"), date),
        field("region", gettext("Region (any, or DE, GB/IE…)"), place("region")),
        field("language", gettext("Language (any, or de, ar…)"), place("language")),
        h("button", { type: "button", class: "quiet small resources-row__remove" }, gettext("Remove")),
      ),
    ),
  );
}

function readRows(list) {
  return [...list.children].map((row) => {
    const value = (name) => row.querySelector(`[name=${name}]`).value.trim();
    return {
      name: value("name"),
      contact: value("contact"),
      purpose: value("purpose"),
      checked_on: value("checked_on"),
      region: value("region") || "any",
      language: value("language") || "any",
    };
  });
}

/** Today as YYYY-MM-DD in the facilitator's own time zone. */
function today() {
  const now = new Date();
  return [now.getFullYear(), now.getMonth() + 1, now.getDate()].map((part) => String(part).padStart(2, "0")).join("-");
}

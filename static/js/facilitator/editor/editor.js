/**
 * The plan editor (GET /facilitator/plans/new, /facilitator/plans/<id>/edit, and the draft
 * that /facilitator/plans/import opens). The plan lives here until Save sends it to the server,
 * whose validator has the last word: its refusal says which activity and field (`activity`,
 * `fields`, `option`, in any language the message is in), which are then opened and marked.
 * Every word comes from the page's catalog (docs/translating.md). Everything works by keyboard: Move up / Move down buttons
 * and Alt+↑/↓ reorder, Ctrl+S saves, focus follows what was added or deleted.
 */
import { h } from "../../common/dom.js";
import { formatTime, gettext } from "../../common/i18n.js";
import { activityForm } from "./activity-form.js";
import { FIELD_LABELS, KINDS, KIND_ORDER, blankActivity, cleanActivity, convertActivity, summaryOf } from "./kinds.js";
import { createPreview } from "./preview.js";

const data = JSON.parse(document.getElementById("editor-data").textContent);
const byId = (id) => document.getElementById(id);
const ui = {
  root: byId("editor"),
  heading: byId("editor-heading"),
  title: byId("plan-title"),
  description: byId("plan-description"),
  planError: byId("plan-error"),
  list: byId("activity-list"),
  empty: byId("activities-empty"),
  count: byId("activity-count"),
  picker: byId("kind-picker"),
  addHeading: byId("add-heading"),
  status: byId("save-status"),
  save: byId("save-button"),
  download: byId("download-link"),
  deleteLink: byId("delete-link"),
  duplicateForm: byId("duplicate-form"),
  announcer: byId("announcer"),
  undoBar: byId("undo-bar"),
  undoText: byId("undo-text"),
  undoButton: byId("undo-button"),
};
const editable = data.editable;
const csrfToken = document.querySelector('meta[name="csrf-token"]')?.content ?? "";

let nextKey = 1;
const plan = {
  id: data.id,
  slug: data.plan.slug,
  version: data.version,
  items: (data.plan.activities ?? []).map((activity) => ({ key: `a${nextKey++}`, activity: { ...activity } })),
};
const cards = new Map(); // key -> {root, toggle, number, badge, summary, flags, error, body, form, up, down}
const expanded = new Set();
let selectedKey = plan.items[0]?.key ?? null;
// What is stored, as the server sent it: typing that beat this script still counts as a change.
let savedSnapshot = data.draft ? null : snapshot({ title: data.plan.title ?? "", description: data.plan.description ?? "" });
let saving = false;
let lastStatus = null;
let undo = null;

const preview = createPreview({
  frame: byId("preview-frame"),
  panel: byId("preview-panel"),
  which: byId("preview-which"),
  closeButton: byId("preview-close"),
  restartButton: byId("preview-restart"),
  minGroup: data.min_group,
});

buildPicker();
renderList();
showPreview();
updateStatus();
wireGlobalKeys();

if (editable) {
  ui.title.addEventListener("input", changed);
  ui.description.addEventListener("input", changed);
  ui.save.addEventListener("click", save);
  ui.undoButton.addEventListener("click", undoDelete);
  window.addEventListener("beforeunload", (event) => {
    if (isDirty()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
}
// Tests (and anyone curious) can tell when the editor is listening.
ui.root.dataset.ready = "true";

// --- the plan as a document ---------------------------------------------------------------

function toDocument({ title = ui.title.value, description = ui.description.value } = {}) {
  const document = {
    title,
    description,
    activities: plan.items.map((item) => cleanActivity(item.activity)),
  };
  return plan.slug ? { slug: plan.slug, ...document } : document;
}

function snapshot(fields) {
  return JSON.stringify(toDocument(fields));
}

function isDirty() {
  return editable && snapshot() !== savedSnapshot;
}

/** After any edit: the save state, and the preview of what changed. */
function changed() {
  updateStatus();
  showPreview();
}

// --- save state -------------------------------------------------------------------------

function updateStatus() {
  if (!editable || saving) return;
  if (lastStatus?.tone === "error" && isDirty()) return; // keep "Not saved: …" until the next try
  if (isDirty()) setStatus("dirty", gettext("Unsaved changes"));
  else if (plan.id === null) setStatus("clean", gettext("Not saved yet"));
  else if (lastStatus?.state !== "saved") setStatus("clean", gettext("Saved"));
}

function setStatus(state, text, tone = "info") {
  lastStatus = { state, tone };
  ui.status.dataset.state = state;
  ui.status.textContent = text;
}

async function save() {
  if (saving) return;
  clearErrors();
  saving = true;
  ui.save.disabled = true;
  setStatus("saving", gettext("Saving…"));
  const sent = toDocument();
  let response = null;
  let body = null;
  try {
    response = await fetch(plan.id === null ? data.create_url : data.save_url, {
      method: plan.id === null ? "POST" : "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken },
      body: JSON.stringify({ plan: sent, version: plan.version }),
    });
    body = await response.json().catch(() => null);
  } catch {
    response = null;
  }
  saving = false;
  ui.save.disabled = false;
  if (response?.ok && body?.id) {
    becomeStored(body);
    // What was sent is what is stored now (edits made while saving stay unsaved).
    const { title, description, activities } = sent;
    savedSnapshot = JSON.stringify({ slug: plan.slug, title, description, activities });
    // The time as the facilitator's language writes it ("16:33", "4:33 PM").
    setStatus("saved", gettext("Saved at %(time)s", { time: formatTime(new Date()) }));
    hideUndo();
    updateStatus();
    return;
  }
  if (!response) {
    showProblem({ message: gettext("Couldn't reach Hearth. Check the connection, then save again. Your changes are still here.") });
  } else {
    showProblem(body?.error?.message ? body.error : { message: gettext("Saving did not work. Reload the page and try again.") });
  }
}

/** After a save: the heading names the plan as stored; after the first save of a new plan, it
 * has an id, an address and a download link too. */
function becomeStored(body) {
  plan.version = body.version;
  plan.slug = body.slug;
  if (plan.id === null) {
    plan.id = body.id;
    data.save_url = body.save_url;
    history.replaceState(null, "", body.edit_url);
  }
  const heading = gettext("Edit “%(title)s”", { title: body.title });
  ui.heading.textContent = heading;
  document.title = `${heading} · Hearth`;
  ui.download.href = body.download_url;
  ui.download.hidden = false;
  ui.deleteLink.href = body.delete_url;
  ui.deleteLink.hidden = false;
  ui.duplicateForm.action = body.duplicate_url;
  ui.duplicateForm.hidden = false;
}

// --- errors from the server ---------------------------------------------------------------

/**
 * Put the server's message next to what it names: an activity, the title, or the whole plan.
 * The server says where (`activity`, `fields`, `option`), so the message may be in any language.
 */
function showProblem({ message, activity = null, fields = [], option = null }) {
  const item = activity ? plan.items[activity - 1] : null;
  if (item) {
    const card = cards.get(item.key);
    setStatus("error", gettext("Not saved: activity %(number)s needs a change.", { number: activity }), "error");
    card.error.textContent = plainFields(message);
    card.error.hidden = false;
    card.root.classList.add("has-error");
    expand(item.key, true);
    select(item.key);
    const field = fieldNamed(card.form, fields, option);
    if (field) {
      field.setAttribute("aria-invalid", "true");
      field.setAttribute("aria-describedby", `${card.error.id} ${field.getAttribute("aria-describedby") ?? ""}`.trim());
      field.focus();
    } else {
      card.error.focus();
    }
    card.root.scrollIntoView({ block: "nearest" });
    return;
  }
  setStatus("error", gettext("Not saved."), "error");
  ui.planError.textContent = plainFields(message);
  ui.planError.hidden = false;
  if (fields[0] === "title") {
    ui.title.setAttribute("aria-invalid", "true");
    ui.title.focus();
  } else {
    ui.planError.focus();
  }
}

function clearErrors() {
  ui.planError.hidden = true;
  ui.title.removeAttribute("aria-invalid");
  for (const card of cards.values()) {
    card.error.hidden = true;
    card.root.classList.remove("has-error");
    for (const field of card.root.querySelectorAll("[aria-invalid]")) {
      field.removeAttribute("aria-invalid");
      const rest = (field.getAttribute("aria-describedby") ?? "").replace(card.error.id, "").trim();
      if (rest) field.setAttribute("aria-describedby", rest);
      else field.removeAttribute("aria-describedby");
    }
  }
}

/** "'max_choices' must be…" → "“Most choices per person” must be…": the form's own words. */
function plainFields(message) {
  return message.replace(/'([a-z_]+)'/g, (quoted, name) => (FIELD_LABELS[name] ? `“${FIELD_LABELS[name]}”` : quoted));
}

/** The form control a message is about (the first of its fields the form shows), if any. */
function fieldNamed(form, fields, option) {
  if (!form) return null;
  if (option) return form.root.querySelectorAll(".options-editor input")[option - 1] ?? form.fieldFor("options");
  for (const name of fields) {
    const field = form.fieldFor(name);
    if (field) return field;
  }
  return null;
}

// --- the list of activities ---------------------------------------------------------------

function renderList() {
  cards.clear();
  ui.list.replaceChildren(...plan.items.map((item) => buildCard(item)));
  renumber();
}

function renumber() {
  const total = plan.items.length;
  plan.items.forEach((item, index) => {
    const card = cards.get(item.key);
    card.number.textContent = String(index + 1);
    nameToggle(item, index);
    if (card.up) {
      card.up.setAttribute("aria-disabled", String(index === 0));
      card.down.setAttribute("aria-disabled", String(index === total - 1));
    }
  });
  ui.count.textContent = total ? gettext("(%(count)s)", { count: total }) : "";
  ui.empty.hidden = total > 0;
}

function buildCard(item) {
  const { key } = item;
  const bodyId = `${key}-panel`;
  const card = {};
  card.number = h("span", { class: "activity-card__number", "aria-hidden": "true" });
  card.badge = h("span", { class: "kind-badge" });
  card.summary = h("span", { class: "activity-card__summary", dir: "auto" });
  card.flags = h("span", { class: "activity-card__flags" });
  card.place = h("span", { class: "visually-hidden" });
  card.toggle = h(
    "button",
    { type: "button", class: "activity-card__toggle", "aria-expanded": "false", "aria-controls": bodyId, onclick: () => expand(key, !expanded.has(key)) },
    h("span", { class: "activity-card__chevron", "aria-hidden": "true" }),
    card.place,
    h("span", { class: "activity-card__text" }, h("span", { class: "activity-card__line" }, card.badge, card.flags), card.summary),
  );
  const previewButton = h("button", { type: "button", class: "quiet small", onclick: () => showOnPhone(key) }, gettext("Preview"));
  if (editable) {
    card.up = h("button", { type: "button", class: "secondary small move", onclick: () => move(key, -1) }, h("span", { "aria-hidden": "true" }, "↑ "), gettext("Move up"));
    card.down = h("button", { type: "button", class: "secondary small move", onclick: () => move(key, 1) }, h("span", { "aria-hidden": "true" }, "↓ "), gettext("Move down"));
  }
  const handle = editable
    ? h("span", { class: "drag-handle", draggable: "true", title: gettext("Drag to reorder"), "aria-hidden": "true" })
    : null;
  card.error = h("p", { class: "activity-card__error", id: `${key}-error`, tabindex: "-1", hidden: true });
  card.body = h("div", { class: "activity-card__body", id: bodyId, hidden: true });
  card.root = h(
    "li",
    { class: "activity-card", "data-key": key },
    h("div", { class: "activity-card__head" }, handle, card.number, card.toggle, h("div", { class: "activity-card__tools" }, previewButton, card.up, card.down)),
    card.error,
    card.body,
  );
  card.root.addEventListener("focusin", () => select(key));
  if (handle) wireDrag(card.root, handle, key);
  cards.set(key, card);
  paintHead(item);
  if (expanded.has(key)) fillBody(item);
  return card.root;
}

/**
 * What a screen reader hears on the card's button: its place (said, not shown), then exactly the
 * kind, flags and text it shows, so the name contains the visible label (WCAG 2.5.3).
 */
function nameToggle(item, index = indexOf(item.key)) {
  cards.get(item.key).place.textContent = gettext("Activity %(number)s of %(total)s: ", { number: index + 1, total: plan.items.length });
}

/** The card's one-line summary: kind, text, and the settings worth seeing at a glance. */
function paintHead(item) {
  const card = cards.get(item.key);
  const activity = item.activity;
  card.badge.textContent = KINDS[activity.kind].name;
  card.badge.dataset.kind = activity.kind;
  const summary = summaryOf(activity);
  card.summary.textContent = summary || (activity.kind === "content" ? gettext("Empty slide") : gettext("No question yet"));
  card.summary.classList.toggle("is-empty", !summary);
  const flags = [];
  if (activity.note) flags.push(gettext("Content note"));
  if (activity.seconds) flags.push(gettext("Timer %(seconds)s s", { seconds: activity.seconds }));
  if (activity.pair === "pre") flags.push(gettext("Check-in"));
  if (activity.pair === "post") flags.push(gettext("Check-out"));
  if (activity.reveal === "live") flags.push(gettext("Results live"));
  if (activity.reveal === "on_close") flags.push(gettext("Results at close"));
  card.flags.replaceChildren(...flags.map((flag) => h("span", { class: "tag" }, flag)));
  card.root.classList.toggle("is-selected", item.key === selectedKey);
  if (indexOf(item.key) >= 0) nameToggle(item);
}

function fillBody(item, { focus = null } = {}) {
  const card = cards.get(item.key);
  card.form = activityForm(item.activity, {
    idPrefix: item.key,
    editable,
    onChange: (options) => {
      paintHead(item);
      changed();
      if (options?.rebuild) fillBody(item, { focus: "style" });
    },
    onKind: (kind) => changeKind(item, kind),
    onDuplicate: () => duplicate(item.key),
    onDelete: () => remove(item.key),
  });
  card.body.replaceChildren(card.form.root);
  if (focus === "first") card.form.focusFirst();
  else if (focus) card.form.fieldFor(focus)?.focus();
}

function expand(key, open, { focus = null } = {}) {
  const card = cards.get(key);
  const item = itemOf(key);
  if (open) expanded.add(key);
  else expanded.delete(key);
  card.toggle.setAttribute("aria-expanded", String(open));
  card.body.hidden = !open;
  card.root.classList.toggle("is-open", open);
  if (open && (!card.form || focus)) fillBody(item, { focus });
}

function itemOf(key) {
  return plan.items.find((item) => item.key === key);
}

function indexOf(key) {
  return plan.items.findIndex((item) => item.key === key);
}

// --- changing the list ----------------------------------------------------------------------

/** Move an activity one place; the other card moves around it, so focus never leaves. */
function move(key, step) {
  if (!editable) return;
  const from = indexOf(key);
  const to = from + step;
  if (to < 0 || to >= plan.items.length) {
    announce(step < 0 ? gettext("Already the first activity.") : gettext("Already the last activity."));
    return;
  }
  const [item] = plan.items.splice(from, 1);
  plan.items.splice(to, 0, item);
  const mine = cards.get(key).root;
  const other = cards.get(plan.items[from].key).root;
  if (step < 0) ui.list.insertBefore(other, mine.nextSibling);
  else ui.list.insertBefore(other, mine);
  renumber();
  changed();
  announceMoved(to);
}

function announceMoved(to) {
  announce(gettext("Moved to position %(number)s of %(total)s.", { number: to + 1, total: plan.items.length }));
}

/** Move an activity to a new index (drag and drop). */
function moveTo(key, to) {
  const from = indexOf(key);
  if (from === to || from < 0) return;
  const [item] = plan.items.splice(from, 1);
  plan.items.splice(to, 0, item);
  ui.list.replaceChildren(...plan.items.map((entry) => cards.get(entry.key).root));
  renumber();
  changed();
  announceMoved(to);
}

function add(kind) {
  insert(plan.items.length, blankActivity(kind), { focus: "first" });
  announce(gettext("Added activity %(number)s: %(kind)s.", { number: plan.items.length, kind: KINDS[kind].adds }));
}

function duplicate(key) {
  const index = indexOf(key);
  insert(index + 1, structuredClone(plan.items[index].activity), { focus: "first" });
  announce(gettext("Duplicated as activity %(number)s.", { number: index + 2 }));
}

function insert(index, activity, { focus }) {
  const item = { key: `a${nextKey++}`, activity };
  plan.items.splice(index, 0, item);
  expanded.add(item.key);
  const root = buildCard(item);
  ui.list.insertBefore(root, ui.list.children[index] ?? null);
  expand(item.key, true, { focus });
  renumber();
  select(item.key);
  root.scrollIntoView({ block: "nearest" });
  changed();
  return item;
}

/** Delete an activity; focus goes to the next one (or the previous, or "Add an activity"). */
function remove(key) {
  const index = indexOf(key);
  const [item] = plan.items.splice(index, 1);
  cards.get(key).root.remove();
  cards.delete(key);
  expanded.delete(key);
  renumber();
  const neighbour = plan.items[index] ?? plan.items[index - 1];
  if (neighbour) {
    cards.get(neighbour.key).toggle.focus();
    select(neighbour.key);
  } else {
    ui.addHeading.focus();
    select(null);
  }
  changed();
  const name = summaryOf(item.activity);
  undo = { item, index };
  ui.undoText.textContent = name
    ? gettext("Deleted activity %(number)s “%(name)s”.", { number: index + 1, name: shorten(name) })
    : gettext("Deleted activity %(number)s.", { number: index + 1 });
  ui.undoBar.hidden = false;
}

function undoDelete() {
  if (!undo) return;
  const { item, index } = undo;
  hideUndo();
  const restored = insert(Math.min(index, plan.items.length), item.activity, { focus: null });
  cards.get(restored.key).toggle.focus();
  announce(gettext("Restored activity %(number)s.", { number: indexOf(restored.key) + 1 }));
}

function hideUndo() {
  undo = null;
  ui.undoBar.hidden = true;
}

function changeKind(item, kind) {
  item.activity = convertActivity(item.activity, kind);
  paintHead(item);
  fillBody(item, { focus: "kind" });
  renumber();
  changed();
  announce(gettext("Now %(kind)s.", { kind: KINDS[kind].adds }));
}

function buildPicker() {
  if (!ui.picker) return;
  ui.picker.replaceChildren(
    ...KIND_ORDER.map((kind) =>
      h(
        "button",
        { type: "button", class: "kind-choice", "data-kind": kind, onclick: () => add(kind) },
        h("span", { class: "kind-choice__name" }, KINDS[kind].name),
        h("span", { class: "kind-choice__about" }, KINDS[kind].about),
      ),
    ),
  );
}

// --- preview ------------------------------------------------------------------------------

function select(key) {
  if (key === selectedKey) return;
  const before = cards.get(selectedKey);
  before?.root.classList.remove("is-selected");
  selectedKey = key;
  cards.get(key)?.root.classList.add("is-selected");
  showPreview();
}

function showPreview() {
  const index = indexOf(selectedKey);
  preview.show(index < 0 ? null : plan.items[index], index, plan.items.length);
}

/** The Preview button: select it, and on a narrow screen open the preview over the editor. */
function showOnPhone(key) {
  select(key);
  preview.open(cards.get(key).root.querySelector(".activity-card__tools button"));
}

// --- keyboard and drag ----------------------------------------------------------------------

function wireGlobalKeys() {
  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s" && !event.altKey) {
      event.preventDefault();
      if (editable) save();
      return;
    }
    if (!editable || !event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key !== "ArrowUp" && event.key !== "ArrowDown") return;
    const card = event.target.closest?.(".activity-card");
    if (!card || !ui.list.contains(card)) return;
    event.preventDefault();
    move(card.dataset.key, event.key === "ArrowUp" ? -1 : 1);
  });
}

/** Drag by the handle (a mouse convenience; the buttons and Alt+arrows do the same). */
function wireDrag(root, handle, key) {
  handle.addEventListener("dragstart", (event) => {
    event.dataTransfer.setData("text/x-hearth-activity", key);
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setDragImage(root, 20, 20);
    root.classList.add("is-dragging");
  });
  handle.addEventListener("dragend", () => {
    root.classList.remove("is-dragging");
    for (const card of cards.values()) card.root.classList.remove("drop-before", "drop-after");
  });
  root.addEventListener("dragover", (event) => {
    if (!event.dataTransfer.types.includes("text/x-hearth-activity")) return;
    event.preventDefault();
    const after = event.clientY > root.getBoundingClientRect().top + root.offsetHeight / 2;
    root.classList.toggle("drop-after", after);
    root.classList.toggle("drop-before", !after);
  });
  root.addEventListener("dragleave", () => root.classList.remove("drop-before", "drop-after"));
  root.addEventListener("drop", (event) => {
    const dragged = event.dataTransfer.getData("text/x-hearth-activity");
    root.classList.remove("drop-before", "drop-after");
    if (!dragged || dragged === key) return;
    event.preventDefault();
    const after = event.clientY > root.getBoundingClientRect().top + root.offsetHeight / 2;
    const from = indexOf(dragged);
    let to = indexOf(key) + (after ? 1 : 0);
    if (from < to) to -= 1;
    moveTo(dragged, to);
    cards.get(dragged).toggle.focus();
  });
}

// --- small things ---------------------------------------------------------------------------

function announce(text) {
  ui.announcer.textContent = "";
  requestAnimationFrame(() => {
    ui.announcer.textContent = text;
  });
}

function shorten(text) {
  return text.length > 50 ? `${text.slice(0, 49)}…` : text;
}

/**
 * The control room's Summary view (templates/facilitator/_summary_panel.html): the
 * facilitator's notes, downloads, the take-home page for participants, and when the answers
 * are deleted. It talks to facilitator/summary_views.py with fetch (JSON, CSRF header), not
 * over the socket; the `control` snapshot still tells it the phase, whether the answers were
 * purged and the published take-home link, so two control rooms on one workshop agree.
 *
 *   const summary = createSummaryPanel(root, { toast });
 *   summary.update(control);   // on every snapshot
 */
import { h } from "../common/dom.js";
import { gettext, language, ngettext } from "../common/i18n.js";

// Notes save themselves this long after the last keystroke (and on leaving the box).
const AUTOSAVE_MS = 1500;
const NOTES_STATUS = {
  saved: () => gettext("Saved"),
  dirty: () => gettext("Not saved yet"),
  saving: () => gettext("Saving…"),
};
const OFFLINE = () => gettext("Hearth could not be reached. Check the connection and try again.");
const FAILED = () => gettext("That did not work. Please try again.");

export function createSummaryPanel(root, { toast }) {
  const find = (id) => document.getElementById(id);
  const base = root.dataset.baseUrl;
  const csrf = root.dataset.csrf;
  const notes = createNotes(
    { box: find("summary-notes"), status: find("notes-status"), button: find("notes-save") },
    (text) => call("notes", { notes: text }),
  );
  const answersError = find("answers-error");
  const progress = find("purge-progress");
  const purgeDialog = find("purge-dialog");
  const exportDialog = find("export-purge-dialog");

  // The server's state (GET …/summary-state), and what the newest snapshot said.
  let state = null;
  let live = { phase: root.dataset.phase, purged: false, summaryUrl: null };
  let seen = false;
  // One lifecycle request at a time (publish, retention, delete): no double deletes.
  let busy = false;

  /** fetch a route of this workshop; resolves to {ok, summary} / {ok, blob, filename} / {ok: false, error}. */
  async function call(path, body, { method = "POST" } = {}) {
    const headers = { Accept: "application/json", "X-CSRFToken": csrf };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let response;
    try {
      response = await fetch(`${base}/${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "same-origin",
      });
    } catch {
      return { ok: false, error: { message: OFFLINE() } };
    }
    const type = response.headers.get("Content-Type") ?? "";
    if (!response.ok) {
      const reply = type.startsWith("application/json") ? await response.json().catch(() => null) : null;
      return { ok: false, error: reply?.error ?? { message: FAILED() } };
    }
    if (response.headers.has("Content-Disposition")) {
      const filename = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition"))?.[1] ?? "summary";
      return { ok: true, blob: await response.blob(), filename };
    }
    const reply = await response.json().catch(() => null);
    if (!reply) return { ok: false, error: { message: gettext("The server's answer could not be read. Reload the page and try again.") } };
    if (reply.summary) {
      state = reply.summary;
      notes.offer(state.notes);
    }
    return reply;
  }

  async function refresh() {
    const reply = await call("summary-state", undefined, { method: "GET" });
    if (reply.ok) render();
  }

  // --- take-home page --------------------------------------------------------------------

  function takeHomeStage() {
    if (live.purged || state?.purged_on) return "purged";
    if (live.phase !== "ended") return "waiting";
    return live.summaryUrl ? "published" : "unpublished";
  }

  /**
   * One lifecycle request (publish, unpublish, purge) with its "done" sentence; a refusal goes
   * to the toast, or to the Answers block's alert when `inline`. Null if another is running.
   */
  async function lifecycle(path, body, { pending = null, done, inline = false }) {
    if (busy) return null;
    busy = true;
    answersError.hidden = true;
    progress.textContent = pending ?? "";
    progress.hidden = !pending;
    const reply = await call(path, body);
    busy = false;
    progress.hidden = true;
    render();
    if (reply.ok) toast.show(done);
    else if (inline) showError(reply.error?.message);
    else toast.show(reply.error?.message ?? FAILED(), { tone: "error" });
    return reply;
  }

  find("publish-button").addEventListener("click", async () => {
    const reply = await lifecycle("publish", {}, { done: gettext("Published. The projector shows its QR code on the closing screen.") });
    if (!reply?.ok) return;
    live.summaryUrl = reply.summary.summary_url;
    render();
    // The button is gone; the keyboard goes to what replaced it.
    find("copy-take-home").focus();
  });
  find("unpublish-button").addEventListener("click", async () => {
    const reply = await lifecycle("unpublish", {}, { done: gettext("Taken down. The link no longer works.") });
    if (!reply?.ok) return;
    live.summaryUrl = null;
    render();
    find("publish-button").focus();
  });
  find("copy-take-home").addEventListener("click", async () => {
    const input = find("take-home-url");
    try {
      await navigator.clipboard.writeText(input.value);
      toast.show(gettext("Take-home link copied."));
    } catch {
      // The clipboard API needs HTTPS or localhost; on a LAN address, let the person copy it.
      input.select();
      toast.show(gettext("Press Ctrl+C (or ⌘C) to copy the selected link."));
    }
  });

  // --- downloads ------------------------------------------------------------------------

  // The links work on their own; here they download in the background, so that a file that
  // cannot be made (a PDF with no browser to print it) never takes the control room away.
  for (const link of root.querySelectorAll(".downloads__button")) {
    link.addEventListener("click", async (event) => {
      if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      if (link.getAttribute("aria-busy") === "true") return;
      const format = link.querySelector(".downloads__format");
      link.setAttribute("aria-busy", "true");
      format.textContent = gettext("Preparing…");
      const reply = await call(`export?format=${encodeURIComponent(link.dataset.format)}`, undefined, { method: "GET" });
      link.removeAttribute("aria-busy");
      format.textContent = link.dataset.label;
      if (reply.ok && reply.blob) {
        saveFile(reply.blob, reply.filename);
        toast.show(gettext("Downloaded %(file)s.", { file: reply.filename }));
      } else {
        toast.show(reply.error?.message ?? gettext("The summary could not be made."), { tone: "error" });
      }
    });
  }

  // --- when the answers are deleted ------------------------------------------------------

  const retentionForm = find("retention-form");
  const retentionChange = find("retention-change");
  const retentionDays = find("retention-days");

  function showRetentionForm(open) {
    retentionForm.hidden = !open;
    retentionChange.setAttribute("aria-expanded", String(open));
    if (open) {
      retentionDays.value = state?.purge_after_days ?? retentionDays.value;
      retentionDays.focus();
      retentionDays.select();
    } else {
      retentionChange.focus();
    }
  }

  retentionChange.addEventListener("click", () => showRetentionForm(retentionForm.hidden));
  find("retention-cancel").addEventListener("click", () => showRetentionForm(false));
  retentionForm.addEventListener("keydown", (event) => {
    if (event.key === "Escape") showRetentionForm(false);
  });
  retentionForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (busy) return;
    busy = true;
    answersError.hidden = true;
    const reply = await call("retention", { purge_after_days: Number(retentionDays.value) });
    busy = false;
    if (reply.ok) {
      showRetentionForm(false);
      toast.show(gettext("Saved. %(when)s", { when: retentionSentence(reply.summary) }));
    } else {
      showError(reply.error?.message);
    }
    render();
  });

  function showError(message) {
    answersError.textContent = message ?? FAILED();
    answersError.hidden = false;
    answersError.focus();
  }

  find("purge-open").addEventListener("click", () => purgeDialog.showModal());
  find("export-purge-open").addEventListener("click", () => exportDialog.showModal());

  purgeDialog.addEventListener("close", async () => {
    const chosen = purgeDialog.returnValue;
    purgeDialog.returnValue = "";
    if (chosen !== "purge") return;
    const reply = await lifecycle(
      "purge",
      { confirm: true },
      { pending: gettext("Deleting the answers…"), done: gettext("The answers were deleted."), inline: true },
    );
    // The button that opened the dialog is gone now; keep the keyboard on what replaced it.
    if (reply?.ok) find("retention-text").focus();
  });

  exportDialog.addEventListener("close", async () => {
    const chosen = exportDialog.returnValue;
    exportDialog.returnValue = "";
    if (chosen !== "export" || busy) return;
    const format = exportDialog.querySelector("input[name=format]:checked")?.value ?? "html";
    busy = true;
    answersError.hidden = true;
    progress.textContent = gettext("Making the summary file, then deleting the answers…");
    progress.hidden = false;
    const reply = await call("export-then-purge", { format, confirm: true });
    busy = false;
    progress.hidden = true;
    if (reply.ok && reply.blob) {
      saveFile(reply.blob, reply.filename);
      live.purged = true;
      toast.show(gettext("Downloaded %(file)s, then deleted the answers.", { file: reply.filename }));
      await refresh();
      find("retention-text").focus();
    } else {
      showError(reply.error?.message ?? gettext("The summary could not be made, so nothing was deleted."));
      render();
    }
  });

  // --- drawing ---------------------------------------------------------------------------

  function render() {
    const stage = takeHomeStage();
    const ended = live.phase === "ended";
    const purged = stage === "purged";
    root.dataset.phase = live.phase;
    root.classList.toggle("is-purged", purged);

    for (const part of root.querySelectorAll("[data-take-home]")) part.hidden = part.dataset.takeHome !== stage;
    const url = live.summaryUrl ?? "";
    find("take-home-url").value = url;
    find("open-take-home").href = url || "#";
    for (const button of [find("publish-button"), find("unpublish-button")]) button.disabled = busy;

    if (state) {
      find("retention-text").textContent = retentionSentence(state);
      const due = readableDay(state.purge_due_on) || gettext("the date shown");
      for (const slot of document.querySelectorAll("[data-purge-due]")) slot.textContent = due;
    }
    find("answers-heading").textContent = purged ? gettext("Answers deleted") : gettext("When the answers are deleted");
    retentionChange.hidden = purged;
    if (purged) retentionForm.hidden = true;
    find("purge-actions").hidden = !ended || purged;
    if (purged) {
      if (purgeDialog.open) purgeDialog.close();
      if (exportDialog.open) exportDialog.close();
    }
  }

  refresh();

  return {
    update(control) {
      const changed = seen && (control.phase !== live.phase || control.purged !== live.purged);
      seen = true;
      live = { phase: control.phase, purged: control.purged, summaryUrl: control.summary_url ?? null };
      render();
      // Ending sets the day the clock starts; a purge (here or in another tab) sets its day.
      if (changed) refresh();
    },
  };
}

/**
 * The notes box: saves a moment after typing stops, on leaving the box, with Ctrl+S or the
 * button, and says plainly whether what is on screen is saved (closing the page with unsaved
 * notes asks first). A version typed while an older one is being saved is saved next;
 * nothing typed is ever replaced by the server's copy.
 */
function createNotes({ box, status, button }, save) {
  let saved = box.value;
  let timer = null;
  let saving = false;
  let failed = null;

  function show() {
    const dirty = box.value !== saved;
    const state = saving ? "saving" : failed ? "error" : dirty ? "dirty" : "saved";
    status.dataset.state = state;
    status.textContent = state === "error" ? gettext("Not saved: %(reason)s", { reason: failed }) : NOTES_STATUS[state]();
    // "Save now" only when there is something to save; typing saves by itself anyway.
    button.hidden = saving || !dirty;
  }

  async function saveNow() {
    clearTimeout(timer);
    if (saving || box.value === saved) return;
    saving = true;
    failed = null;
    show();
    const text = box.value;
    const reply = await save(text);
    saving = false;
    if (reply.ok) saved = text;
    else failed = reply.error?.message ?? gettext("please try again.");
    show();
    // Typed while saving: save that too.
    if (reply.ok && box.value !== saved) timer = setTimeout(saveNow, AUTOSAVE_MS);
  }

  box.addEventListener("input", () => {
    failed = null;
    show();
    clearTimeout(timer);
    timer = setTimeout(saveNow, AUTOSAVE_MS);
  });
  box.addEventListener("blur", saveNow);
  box.addEventListener("keydown", (event) => {
    if (event.key === "s" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      saveNow();
    }
  });
  button.addEventListener("click", saveNow);
  window.addEventListener("beforeunload", (event) => {
    if (box.value !== saved || saving) {
      saveNow();
      event.preventDefault();
      event.returnValue = "";
    }
  });
  show();

  return {
    /** The server's copy (after a reload of the state): shown only if nothing here is unsaved. */
    offer(text) {
      if (saving || box.value !== saved || text === saved) return;
      box.value = text;
      saved = text;
      show();
    },
  };
}

/** "Answers will be deleted on 27 Dec 2026, 30 days after the end." for a summary state. */
function retentionSentence(state) {
  const days = state.purge_after_days;
  if (state.purged_on) {
    const deleted = gettext("Answers deleted on %(day)s.", { day: readableDay(state.purged_on) });
    const remain = gettext("Your notes, the title, the dates and the counts of phones and break requests remain.");
    return `${deleted} ${remain}`;
  }
  if (!state.purge_due_on) {
    return ngettext("Answers are deleted %(num)s day after the workshop ends.", "Answers are deleted %(num)s days after the workshop ends.", days);
  }
  const day = readableDay(state.purge_due_on);
  if (state.purge_due_on <= todayUtc()) {
    return gettext("The answers were due to be deleted on %(day)s; Hearth deletes them within the hour.", { day });
  }
  return ngettext("Answers will be deleted on %(day)s, %(num)s day after the end.", "Answers will be deleted on %(day)s, %(num)s days after the end.", days, { day });
}

/** "2026-12-27" as "27 Dec 2026", "27. Dez. 2026", … in the page's language (UTC days). */
function readableDay(iso) {
  const day = iso ? new Date(`${iso}T00:00:00Z`) : null;
  if (!day || Number.isNaN(day.getTime())) return iso ?? "";
  const options = { day: "numeric", month: "short", year: "numeric", timeZone: "UTC", numberingSystem: "latn" };
  return new Intl.DateTimeFormat(language(), options).format(day);
}

function todayUtc() {
  return new Date().toISOString().slice(0, 10);
}

/** Hand a downloaded file to the browser under its own name. */
function saveFile(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = h("a", { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  // Give the browser time to start the download before the blob is let go.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

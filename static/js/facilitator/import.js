// The Import page: a file by picker or drag and drop, or pasted text. Formatted text pasted
// from a browser or a word processor comes with its HTML, which is kept in a hidden field so
// that its headings, lists and tables survive; the page says which format will be read.

import { formatNumber, gettext } from "../common/i18n.js";

const form = document.getElementById("import-form");
const fileInput = document.getElementById("article-file");
const dropZone = document.getElementById("drop-zone");
const fileStatus = document.getElementById("file-status");
const textArea = document.getElementById("article-text");
const htmlField = document.getElementById("article-html");
const pasteText = document.getElementById("paste-status-text");
const plainButton = document.getElementById("paste-plain");
const maxBytes = Number(form.dataset.maxBytes);

const WEB_PAGE = gettext("a web page (HTML)");
const MARKDOWN = gettext("Markdown");
const PLAIN = gettext("plain text");
const FORMATS = {
  docx: gettext("a Word document"),
  pdf: gettext("a PDF"),
  html: WEB_PAGE,
  htm: WEB_PAGE,
  xhtml: WEB_PAGE,
  md: MARKDOWN,
  markdown: MARKDOWN,
  txt: PLAIN,
  text: PLAIN,
};

function megabytes(bytes) {
  const digits = bytes < 1048576 ? 2 : 1;
  const size = formatNumber(bytes / 1048576, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return gettext("%(size)s MB", { size });
}

function showFile() {
  const file = fileInput.files[0];
  fileStatus.classList.remove("import-status--problem");
  if (!file) {
    fileStatus.textContent = "";
    return;
  }
  const suffix = (file.name.match(/\.([A-Za-z0-9]+)$/) || [])[1]?.toLowerCase();
  const format = FORMATS[suffix];
  if (!format) {
    fileStatus.textContent = gettext("%(file)s: Hearth reads .docx, .pdf, .html, .md and .txt files.", { file: file.name });
    fileStatus.classList.add("import-status--problem");
  } else if (file.size > maxBytes) {
    fileStatus.textContent = gettext("%(file)s is %(size)s; Hearth takes up to %(limit)s.", {
      file: file.name,
      size: megabytes(file.size),
      limit: megabytes(maxBytes),
    });
    fileStatus.classList.add("import-status--problem");
  } else {
    fileStatus.textContent = gettext("Chosen: %(file)s, read as %(format)s. It is used instead of pasted text.", {
      file: file.name,
      format,
    });
  }
}

fileInput.addEventListener("change", showFile);

for (const name of ["dragenter", "dragover"]) {
  dropZone.addEventListener(name, (event) => {
    event.preventDefault();
    dropZone.classList.add("drop-zone--over");
  });
}
for (const name of ["dragleave", "drop"]) {
  dropZone.addEventListener(name, () => dropZone.classList.remove("drop-zone--over"));
}
dropZone.addEventListener("drop", (event) => {
  event.preventDefault();
  if (event.dataTransfer?.files.length) {
    fileInput.files = event.dataTransfer.files;
    showFile();
  }
});

function setFormatted(html) {
  htmlField.value = html;
  plainButton.hidden = !html;
  pasteText.textContent = html
    ? gettext("Formatted text pasted: it will be read as a web page (HTML), keeping its headings, lists and tables.")
    : "";
}

let pasting = false;
textArea.addEventListener("paste", (event) => {
  const html = event.clipboardData?.getData("text/html") || "";
  // Only a paste into an empty box is the whole article; otherwise the HTML would be a part.
  setFormatted(textArea.value.trim() === "" ? html : "");
  pasting = true;
});
textArea.addEventListener("input", () => {
  if (pasting) {
    pasting = false;
    return;
  }
  if (htmlField.value) {
    setFormatted("");
    pasteText.textContent = gettext("You changed the text, so it will be read as you see it here.");
  }
});
plainButton.addEventListener("click", () => {
  setFormatted("");
  pasteText.textContent = gettext("It will be read as the plain text you see here.");
  textArea.focus();
});

form.addEventListener("submit", (event) => {
  const file = fileInput.files[0];
  if (file && file.size > maxBytes) {
    event.preventDefault();
    showFile();
    fileInput.focus();
  }
});

// Tests and slow phones alike: the picker and the drop zone listen from here on.
form.dataset.ready = "true";

// The Import page: a file by picker or drag and drop, or pasted text. Formatted text pasted
// from a browser or a word processor comes with its HTML, which is kept in a hidden field so
// that its headings, lists and tables survive; the page says which format will be read.

const form = document.getElementById("import-form");
const fileInput = document.getElementById("article-file");
const dropZone = document.getElementById("drop-zone");
const fileStatus = document.getElementById("file-status");
const textArea = document.getElementById("article-text");
const htmlField = document.getElementById("article-html");
const pasteText = document.getElementById("paste-status-text");
const plainButton = document.getElementById("paste-plain");
const maxBytes = Number(form.dataset.maxBytes);

const FORMATS = {
  docx: "a Word document",
  pdf: "a PDF",
  html: "a web page (HTML)",
  htm: "a web page (HTML)",
  xhtml: "a web page (HTML)",
  md: "Markdown",
  markdown: "Markdown",
  txt: "plain text",
  text: "plain text",
};

function megabytes(bytes) {
  return `${(bytes / 1048576).toFixed(bytes < 1048576 ? 2 : 1)} MB`;
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
    fileStatus.textContent = `${file.name}: Hearth reads .docx, .pdf, .html, .md and .txt files.`;
    fileStatus.classList.add("import-status--problem");
  } else if (file.size > maxBytes) {
    fileStatus.textContent = `${file.name} is ${megabytes(file.size)}; Hearth takes up to ${megabytes(maxBytes)}.`;
    fileStatus.classList.add("import-status--problem");
  } else {
    fileStatus.textContent = `Chosen: ${file.name}, read as ${format}. It is used instead of pasted text.`;
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
    ? "Formatted text pasted: it will be read as a web page (HTML), keeping its headings, lists and tables."
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
    pasteText.textContent = "You changed the text, so it will be read as you see it here.";
  }
});
plainButton.addEventListener("click", () => {
  setFormatted("");
  pasteText.textContent = "It will be read as the plain text you see here.";
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

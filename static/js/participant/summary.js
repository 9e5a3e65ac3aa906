/**
 * The take-home summary page (GET /s/<key>). Everything on it is drawn by the server; this
 * only makes Exit leave the way the live session's does: the page is replaced, so Back does
 * not return to it. The page stores nothing, so there is nothing to clear.
 */
const exit = document.getElementById("quick-exit");
exit.addEventListener("click", (event) => {
  event.preventDefault();
  location.replace(exit.href);
});

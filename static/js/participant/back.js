/**
 * "Back" on the privacy page returns to wherever the participant came from (usually the live
 * session, which reconnects by itself) rather than to the join page the link points at.
 */
for (const link of document.querySelectorAll("a[data-back]")) {
  link.addEventListener("click", (event) => {
    if (history.length > 1) {
      event.preventDefault();
      history.back();
    }
  });
}

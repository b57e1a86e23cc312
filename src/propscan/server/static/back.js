// A "Back to the form" link goes back in the history when it can, which keeps what was typed.
(() => {
  "use strict";
  document.querySelectorAll("a[data-back]").forEach((link) => {
    link.addEventListener("click", (e) => {
      if (window.history.length < 2) return;
      e.preventDefault();
      window.history.back();
    });
  });
})();

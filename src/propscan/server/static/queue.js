// The review queue: accept or reject a prediction where it is listed (PATCH to the REST API).
(() => {
  "use strict";
  const errorBox = document.getElementById("review-error");
  document.querySelectorAll("#queue li").forEach((li) => {
    li.querySelectorAll("[data-verdict]").forEach((button) => {
      button.addEventListener("click", async () => {
        errorBox.hidden = true;
        const response = await fetch(`/api/articles/${li.dataset.article}/spans/${li.dataset.id}`, {
          method: "PATCH",
          headers: { "Content-Type": "application/json", Accept: "application/json" },
          body: JSON.stringify({ status: button.dataset.verdict }),
        });
        if (!response.ok) {
          const detail = (await response.json().catch(() => ({}))).detail;
          errorBox.textContent = typeof detail === "string" ? detail : `could not save (${response.status})`;
          errorBox.hidden = false;
          return;
        }
        li.classList.add(`done-${button.dataset.verdict}`);
        li.querySelectorAll("button").forEach((b) => { b.disabled = true; });
        const done = li.querySelector(".queue-done");
        done.textContent = button.dataset.verdict;
        done.hidden = false;
      });
    });
  });
})();

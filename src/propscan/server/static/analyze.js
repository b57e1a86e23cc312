// The analyse form: refuse a text or file over the server's request-size limit before sending
// it, with the reason beside the text, so that nothing typed or pasted is lost.
(() => {
  "use strict";
  const form = document.getElementById("analyze-form");
  const errorBox = document.getElementById("form-error");
  const limit = Number(form.dataset.maxBytes);
  const encoder = new TextEncoder();
  const bytes = (text) => encoder.encode(text).length;
  const BOUNDARY = 70; // the longest a multipart boundary may be: the estimate errs high
  const megabytes = (n, round) => `${(round(n / 1e5) / 10).toFixed(1)} MB`;

  // The size of the multipart body the browser would send (line breaks sent as CRLF).
  function bodySize() {
    let size = BOUNDARY + 6;
    for (const [name, value] of new FormData(form)) {
      size += BOUNDARY + 4 + bytes(`Content-Disposition: form-data; name="${name}"\r\n\r\n\r\n`);
      if (typeof value === "string") {
        size += bytes(value.replace(/\r\n|\r|\n/g, "\r\n"));
      } else {
        size += bytes(`; filename="${value.name}"\r\nContent-Type: ${value.type || "application/octet-stream"}`);
        size += value.size;
      }
    }
    return size;
  }

  function refuse(size) {
    const file = document.getElementById("file").files.length > 0;
    const what = file ? "file" : "text";
    const fix = file ? "Choose a smaller file" : "Shorten the text";
    errorBox.textContent = `This ${what} is ${megabytes(size, Math.ceil)}: over the `
      + `${megabytes(limit, Math.round)} this server accepts in one request. ${fix} and try again.`;
    errorBox.hidden = false;
    errorBox.scrollIntoView({ block: "nearest" });
  }

  form.addEventListener("submit", (e) => {
    const size = bodySize();
    if (!(limit > 0) || size <= limit) return;
    e.preventDefault();
    refuse(size);
  });
})();

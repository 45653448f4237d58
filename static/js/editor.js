// The post editor: an image upload button that inserts Markdown. Without JavaScript
// the editor still works; only the button (hidden in the HTML) needs this file.
(function () {
  "use strict";
  var t = window.networkI18n || function (key) { return key; };

  function csrfToken(form) {
    var field = form.querySelector('input[name="csrf_token"]');
    return field ? field.value : "";
  }

  function insertAtCursor(textarea, text) {
    var start = textarea.selectionStart, end = textarea.selectionEnd, value = textarea.value;
    textarea.value = value.slice(0, start) + text + value.slice(end);
    textarea.selectionStart = textarea.selectionEnd = start + text.length;
    textarea.focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector(".upload-field");
    if (!box || !window.fetch || !window.FormData) { return; }
    var form = box.closest("form");
    var input = box.querySelector('input[type="file"]');
    var status = box.querySelector("#upload-status");
    var textarea = form.querySelector("textarea");
    box.hidden = false;
    input.addEventListener("change", function () {
      if (!input.files.length) { return; }
      var data = new FormData();
      data.append("file", input.files[0]);
      status.textContent = t("uploading");
      fetch(box.getAttribute("data-upload-url"), {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(form), "Accept": "application/json" }
      }).then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      }).then(function (result) {
        if (!result.ok) {
          status.textContent = (result.body.error && result.body.error.message) || t("upload_failed");
          return;
        }
        insertAtCursor(textarea, "\n![](" + result.body.url + ")\n");
        status.textContent = t("uploaded");
        input.value = "";
      }).catch(function () {
        status.textContent = t("upload_failed");
      });
    });
  });
})();

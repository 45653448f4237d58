// Picture uploads: a preview and a size check before sending, and networkUpload() for editors.
// Enhancements only: the avatar form works without this file.
(function () {
  "use strict";

  var PREVIEWABLE = ["image/jpeg", "image/png", "image/webp", "image/gif"];

  function csrfToken() {
    var field = document.querySelector("input[name=csrf_token]");
    return field ? field.value : "";
  }

  // POST one file to /uploads; resolves to {url, width, height}, rejects with {status, code, message}.
  window.networkUpload = function (file) {
    var body = new FormData();
    body.append("file", file);
    return fetch("/uploads", {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (response.status === 201) {
          return data;
        }
        var error = (data && data.error) || {};
        throw { status: response.status, code: error.code || "error", message: error.message || "" };
      });
    });
  };

  function showError(input, message) {
    var box = document.getElementById(input.id + "-error");
    if (!box) {
      return;
    }
    box.textContent = message;
    box.hidden = !message;
    if (message) {
      input.setAttribute("aria-invalid", "true");
      var described = (input.getAttribute("aria-describedby") || "").split(" ");
      if (described.indexOf(box.id) === -1) {
        described.push(box.id);
        input.setAttribute("aria-describedby", described.join(" ").trim());
      }
    } else {
      input.removeAttribute("aria-invalid");
    }
  }

  function tooLarge(input) {
    var limit = parseInt(input.getAttribute("data-max-bytes"), 10);
    var file = input.files && input.files[0];
    return Boolean(file && limit && file.size > limit);
  }

  function preview(input) {
    var target = document.getElementById(input.getAttribute("data-preview") || "");
    var file = input.files && input.files[0];
    if (!target || !file || PREVIEWABLE.indexOf(file.type) === -1 || !window.FileReader) {
      return;
    }
    // A data: URL, because the page's Content-Security-Policy allows no blob: images.
    var reader = new FileReader();
    reader.addEventListener("load", function () { target.src = reader.result; });
    reader.readAsDataURL(file);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
      input.addEventListener("change", function () {
        if (tooLarge(input)) {
          showError(input, input.getAttribute("data-too-large"));
          return;
        }
        showError(input, "");
        preview(input);
      });
      if (input.form) {
        input.form.addEventListener("submit", function (event) {
          if (tooLarge(input)) {
            event.preventDefault();
            showError(input, input.getAttribute("data-too-large"));
            input.focus();
          }
        });
      }
    });
  });
})();

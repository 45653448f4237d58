// Enhancements only: every page works without this file.
(function () {
  "use strict";

  function catalogue() {
    var node = document.getElementById("i18n-catalogue");
    try {
      return node ? JSON.parse(node.textContent) : {};
    } catch (error) {
      return {};
    }
  }

  var messages = catalogue();
  window.networkI18n = function (key) {
    return Object.prototype.hasOwnProperty.call(messages, key) ? messages[key] : key;
  };

  document.addEventListener("DOMContentLoaded", function () {
    // Flash messages get a dismiss button.
    document.querySelectorAll(".flash").forEach(function (flash) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "secondary";
      button.textContent = window.networkI18n("dismiss");
      button.addEventListener("click", function () { flash.remove(); });
      flash.appendChild(button);
    });
    // Destructive buttons ask first; without JavaScript they still work after a click.
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) {
          event.preventDefault();
        }
      });
    });
  });
})();

// Live withdrawal of case studies: when a customer withdraws (or consent expires), every
// open page drops the story at once. Cards disappear; the story's own page says why.
// Enhancement only: the server already refuses the story on the next load.
(function () {
  "use strict";

  var NOTICE_KEY = "case_study_withdrawn";

  function notice(article) {
    var translate = window.networkI18n || function (key) { return key; };
    var text = translate(NOTICE_KEY);
    if (text === NOTICE_KEY) {
      text = article.getAttribute("data-withdrawn-notice") || "This case study was withdrawn by its customer.";
    }
    return text;
  }

  function remove(id) {
    var nodes = document.querySelectorAll('[data-case-study-id="' + id + '"]');
    Array.prototype.forEach.call(nodes, function (node) {
      if (node.classList.contains("case-study")) {
        // The story's own page: say what happened instead of leaving a blank page.
        var replacement = document.createElement("p");
        replacement.className = "notice case-study-withdrawn";
        replacement.setAttribute("role", "status");
        replacement.textContent = notice(node);
        node.replaceWith(replacement);
      } else {
        node.remove();
      }
    });
  }

  function existingSocket() {
    if (window.networkFeed && window.networkFeed.socket) { return window.networkFeed.socket; }
    if (window.networkConversation && window.networkConversation.socket) {
      return window.networkConversation.socket;
    }
    return null;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var nodes = document.querySelectorAll("[data-case-study-id]");
    if (!nodes.length) { return; }
    var ids = {};
    Array.prototype.forEach.call(nodes, function (node) {
      var id = parseInt(node.getAttribute("data-case-study-id"), 10);
      if (id > 0) { ids[id] = true; }
    });
    var socket = existingSocket();
    if (!socket) {
      if (typeof window.io !== "function") { return; }
      socket = window.io({ transports: ["websocket", "polling"] });
    }
    // What the server agreed to tell us about (by id): for tests and other scripts.
    var watching = {};
    window.networkCaseStudies = { socket: socket, remove: remove, watching: watching };

    function watch(id) {
      if (!ids[id]) { return; }
      socket.emit("watch_case_study", { case_study_id: parseInt(id, 10) }, function (reply) {
        watching[id] = !!(reply && reply.ok);
        var code = reply && reply.error && reply.error.code;
        // Too many pages opened at once: ask again a little later.
        if (code === "rate_limited") { window.setTimeout(function () { watch(id); }, 5000); }
      });
    }

    function watchAll() {
      Object.keys(ids).forEach(watch);
    }

    socket.on("case_study_withdrawn", function (body) {
      var id = body && parseInt(body.id, 10);
      if (id > 0) {
        delete ids[id];
        delete watching[id];
        remove(id);
      }
    });
    // Rooms are forgotten when a connection drops: watch again on every (re)connect.
    socket.on("connect", watchAll);
    if (socket.connected) { watchAll(); }
  });
})();

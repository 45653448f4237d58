// Live cards in a list of posts (the home feed, the front page, a profile): new,
// edited and deleted comments update each card's latest comments and its count.
// Same rule as the post page: apply each post's changes in n order, re-sync after n.
(function () {
  "use strict";
  var t = window.networkI18n || function (key) { return key; };
  var LATEST = 2;

  function countText(count) {
    var lang = document.documentElement.lang || "en";
    var category = window.Intl && Intl.PluralRules ? new Intl.PluralRules(lang).select(count) : "other";
    var template = t("comments_" + category);
    if (template === "comments_" + category) { template = t("comments_other"); }
    return template.replace("%(num)d", String(count));
  }

  function excerpt(html) {
    var scratch = document.createElement("div");
    scratch.innerHTML = html;  // sanitized by the server; we only read its text
    var text = (scratch.textContent || "").replace(/\s+/g, " ").trim();
    return text.length > 160 ? text.slice(0, 159) + "…" : text;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var cards = document.querySelectorAll(".post-card[data-post-id]");
    if (!cards.length || typeof window.io !== "function") { return; }
    var byPost = {};
    Array.prototype.forEach.call(cards, function (card) {
      var postId = parseInt(card.getAttribute("data-post-id"), 10);
      byPost[postId] = {
        card: card,
        lastN: parseInt(card.getAttribute("data-last-n"), 10) || 0,
        count: parseInt(card.getAttribute("data-comment-count"), 10) || 0,
        pending: {}
      };
    });
    var socket = window.io({ transports: ["websocket", "polling"] });
    window.networkFeed = { socket: socket };

    function subscribeAll() {
      Object.keys(byPost).forEach(function (postId) {
        socket.emit("subscribe", {
          post_id: parseInt(postId, 10), after: byPost[postId].lastN, listen_only: true
        });
      });
    }

    function apply(state, name, body) {
      var list = state.card.querySelector(".latest-comments");
      var item = list.querySelector('[data-comment-id="' + body.id + '"]');
      var removed = name === "comment_deleted" || body.state === "deleted" || body.state === "hidden";
      if (name === "comment") { state.count += 1; }
      if (removed && name === "comment_deleted") { state.count = Math.max(0, state.count - 1); }
      if (removed) {
        if (item) { item.remove(); }
      } else {
        var line = item || document.createElement("li");
        line.setAttribute("data-comment-id", body.id);
        line.textContent = "";
        var who = document.createElement("strong");
        who.textContent = body.author.display_name;
        line.appendChild(who);
        if (body.author.role === "employee" || body.author.role === "admin") {
          var badge = document.createElement("span");
          badge.className = "badge badge-staff";
          badge.textContent = t("staff");
          line.appendChild(document.createTextNode(" "));
          line.appendChild(badge);
        }
        var words = document.createElement("span");
        words.className = "excerpt";
        words.textContent = excerpt(body.html);
        line.appendChild(document.createTextNode(": "));
        line.appendChild(words);
        if (!item) { list.appendChild(line); }
        while (list.children.length > LATEST) { list.removeChild(list.firstElementChild); }
      }
      list.hidden = list.children.length === 0;
      var counter = state.card.querySelector(".comment-count");
      if (counter) { counter.textContent = countText(state.count); }
    }

    function receive(name, body) {
      var state = body && byPost[body.post_id];
      if (!state || body.n <= state.lastN) { return; }
      state.pending[body.n] = [name, body];
      while (state.pending[state.lastN + 1]) {
        var next = state.pending[state.lastN + 1];
        delete state.pending[state.lastN + 1];
        apply(state, next[0], next[1]);
        state.lastN += 1;
      }
    }

    ["comment", "comment_updated", "comment_deleted"].forEach(function (name) {
      socket.on(name, function (body) { receive(name, body); });
    });
    // The post left this reader's view (members-only, hidden, deleted): so does its card.
    socket.on("post_hidden", function (body) {
      var state = body && byPost[body.post_id];
      if (!state) { return; }
      state.card.remove();
      delete byPost[body.post_id];
    });
    socket.on("connect", subscribeAll);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible" && socket.connected) { subscribeAll(); }
    });
    window.setInterval(function () { if (socket.connected) { subscribeAll(); } }, 30000);
  });
})();

// Live conversation on a post page. The page works without this file (forms and
// reloads); with it, new, edited and deleted comments appear as they happen.
// Contract: docs/realtime.md. The database is the truth: we apply changes only in
// event-number order (n) without gaps, and ask for everything after our last n on
// every (re)connect, when the tab becomes visible, and every 30 seconds.
(function () {
  "use strict";
  var t = window.networkI18n || function (key) { return key; };
  var RESYNC_MS = 30000;

  document.addEventListener("DOMContentLoaded", function () {
    var section = document.querySelector(".conversation[data-post-id]");
    if (!section || typeof window.io !== "function") { return; }
    var postId = parseInt(section.getAttribute("data-post-id"), 10);
    var lastN = parseInt(section.getAttribute("data-last-n"), 10) || 0;
    var list = document.getElementById("comment-list");
    var status = document.getElementById("live-status");
    var pending = {};  // n -> [event name, body], waiting for their turn
    var socket = window.io({ transports: ["websocket", "polling"] });
    window.networkConversation = { socket: socket, lastN: function () { return lastN; } };

    function show(text) {
      if (!status) { return; }
      status.textContent = text;
      status.hidden = !text;
    }

    function subscribe() {
      socket.emit("subscribe", { post_id: postId, after: lastN }, function (ack) {
        if (ack && ack.ok) { show(""); }
      });
    }

    function authorLine(author, createdAt, editedAt) {
      var line = document.createElement("span");
      line.className = "author";
      var avatar = document.createElement("img");
      avatar.className = "avatar";
      avatar.src = author.avatar_url;
      avatar.alt = "";
      avatar.width = 32;
      avatar.height = 32;
      var name = document.createElement("a");
      name.className = "author-name";
      name.href = "/u/" + encodeURIComponent(author.handle);
      name.textContent = author.display_name;
      line.appendChild(avatar);
      line.appendChild(name);
      if (author.role === "employee" || author.role === "admin") {
        var badge = document.createElement("span");
        badge.className = "badge badge-staff";
        badge.textContent = t("staff");
        line.appendChild(badge);
      }
      var time = document.createElement("time");
      time.className = "muted";
      time.dateTime = createdAt;
      time.textContent = new Date(createdAt).toLocaleString();
      line.appendChild(time);
      if (editedAt) {
        var edited = document.createElement("span");
        edited.className = "muted";
        edited.textContent = "· " + t("edited");
        line.appendChild(edited);
      }
      return line;
    }

    function render(name, body) {
      var item = document.createElement("li");
      item.className = "comment";
      item.id = "c" + body.seq;
      item.setAttribute("data-seq", body.seq);
      item.setAttribute("data-n", body.n);
      item.setAttribute("data-comment-id", body.id);
      if (name === "comment_deleted" || body.state === "deleted" || body.state === "hidden") {
        var gone = document.createElement("p");
        gone.className = "muted tombstone";
        gone.textContent = body.state === "hidden" ? t("comment_hidden") : t("comment_deleted");
        item.appendChild(gone);
        return item;
      }
      var meta = document.createElement("div");
      meta.className = "comment-meta";
      meta.appendChild(authorLine(body.author, body.created_at, body.edited_at));
      var text = document.createElement("div");
      text.className = "comment-body";
      text.innerHTML = body.html;  // sanitized by the server on the way in (SEC-20)
      item.appendChild(meta);
      item.appendChild(text);
      return item;
    }

    function place(name, body) {
      var fresh = render(name, body);
      var existing = list.querySelector('[data-comment-id="' + body.id + '"]');
      if (existing) {
        var actions = existing.querySelector(".comment-actions");
        if (actions && name !== "comment_deleted" && body.state === "visible") {
          fresh.appendChild(actions);  // keep the server-rendered edit/delete links
        }
        existing.replaceWith(fresh);
        return;
      }
      var empty = list.querySelector(".empty");
      if (empty) { empty.remove(); }
      var later = Array.prototype.find.call(list.children, function (child) {
        return parseInt(child.getAttribute("data-seq"), 10) > body.seq;
      });
      list.insertBefore(fresh, later || null);
    }

    function receive(name, body) {
      if (!body || body.post_id !== postId || body.n <= lastN) { return; }
      pending[body.n] = [name, body];
      while (pending[lastN + 1]) {  // only in order, never across a gap
        var next = pending[lastN + 1];
        delete pending[lastN + 1];
        place(next[0], next[1]);
        lastN += 1;
      }
    }

    ["comment", "comment_updated", "comment_deleted"].forEach(function (name) {
      socket.on(name, function (body) { receive(name, body); });
    });
    var typingLine = document.getElementById("typing-status");
    var presenceLine = document.getElementById("presence-status");
    var typingTimer = null;
    var lastTyped = 0;

    function fill(template, values) {
      return template.replace(/%\((\w+)\)s/g, function (_all, key) { return values[key]; });
    }

    socket.on("typing", function (body) {
      if (!typingLine || body.post_id !== postId) { return; }
      typingLine.textContent = fill(t("is_typing"), { name: body.display_name });
      typingLine.hidden = false;
      window.clearTimeout(typingTimer);
      typingTimer = window.setTimeout(function () { typingLine.hidden = true; }, 4000);
    });
    socket.on("presence", function (body) {
      if (!presenceLine || body.post_id !== postId) { return; }
      var text = fill(t("here_now"), { num: body.viewers });
      if (body.staff.length) { text += " · " + fill(t("staff_here"), { names: body.staff.join(", ") }); }
      presenceLine.textContent = text;
      presenceLine.hidden = false;
    });
    var box = section.querySelector(".comment-form textarea");
    if (box) {
      box.addEventListener("input", function () {
        var now = Date.now();
        if (socket.connected && now - lastTyped > 3000) {
          lastTyped = now;
          socket.emit("typing", { post_id: postId });
        }
      });
    }
    socket.on("post_hidden", function (body) {
      if (body.post_id !== postId) { return; }
      var article = document.querySelector("article.post .prose");
      if (article) { article.textContent = t("post_hidden"); }
      section.hidden = true;
    });
    socket.on("connect", subscribe);
    socket.on("disconnect", function () { show(t("reconnecting")); });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible" && socket.connected) { subscribe(); }
    });
    window.setInterval(function () { if (socket.connected) { subscribe(); } }, RESYNC_MS);
  });
})();

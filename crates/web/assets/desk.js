// The agent desk's behaviour: live updates over SSE, presence and collision
// hints, keyboard shortcuts, @mention completion, and small conveniences.
// Every page works without it; this only makes it faster to use.
"use strict";

(function () {
  const root = document.querySelector(".desk");
  const page = root ? root.dataset.page : null;
  const csrf = root ? root.dataset.csrf : null;
  const ticketId = page === "ticket" ? root.dataset.ticket : null;
  const status = document.getElementById("live-status");

  function announce(text) {
    if (!status) return;
    status.textContent = text;
    status.classList.add("shown");
    clearTimeout(announce.timer);
    announce.timer = setTimeout(() => status.classList.remove("shown"), 4000);
  }

  // ---------------------------------------------------------------- small things
  document.querySelectorAll("select[data-autosubmit]").forEach((s) => s.addEventListener("change", () => s.form.submit()));
  const selectAll = document.querySelector("[data-select-all]");
  if (selectAll) {
    selectAll.addEventListener("change", () => {
      document.querySelectorAll("#inbox-list input[name=id]").forEach((c) => (c.checked = selectAll.checked));
    });
  }

  // ---------------------------------------------------------------- live refresh
  // Re-fetches this page and swaps the parts marked data-live, leaving what the
  // agent is typing untouched.
  let refreshing = null;
  function refresh() {
    if (refreshing) {
      refreshing.again = true;
      return;
    }
    refreshing = { again: false };
    fetch(location.href, { credentials: "same-origin", headers: { "X-Requested-With": "live" } })
      .then((r) => (r.ok ? r.text() : null))
      .then((html) => {
        if (!html) return;
        const doc = new DOMParser().parseFromString(html, "text/html");
        document.querySelectorAll("[data-live]").forEach((el) => {
          const fresh = doc.getElementById(el.id);
          if (!fresh) return;
          if (el.id === "conversation") {
            const before = Number(el.dataset.last || 0);
            el.innerHTML = fresh.innerHTML;
            el.dataset.last = fresh.dataset.last;
            el.querySelectorAll("article.msg").forEach((m) => {
              if (Number(m.id.slice(1)) > before) m.classList.add("fresh");
            });
            if (Number(fresh.dataset.last) > before) announce(document.querySelector("#conversation article.fresh .meta")?.textContent.trim() || "");
          } else {
            el.innerHTML = fresh.innerHTML;
          }
        });
        rememberList();
      })
      .catch(() => {})
      .finally(() => {
        const again = refreshing && refreshing.again;
        refreshing = null;
        if (again) setTimeout(refresh, 300);
      });
  }

  let pending = null;
  function refreshSoon() {
    clearTimeout(pending);
    pending = setTimeout(refresh, 250);
  }

  function showPresence(viewers) {
    const el = document.getElementById("presence");
    if (!el) return;
    el.textContent = viewers.map((v) => v.name + " " + (v.typing ? el.dataset.typing : el.dataset.viewing)).join(" · ");
  }

  if (root && window.EventSource) {
    const src = new EventSource("/live" + (ticketId ? "?ticket=" + ticketId : ""));
    src.addEventListener("ticket", (e) => {
      const data = JSON.parse(e.data);
      if (page === "inbox") refreshSoon();
      else if (ticketId && String(data.id) === ticketId) refreshSoon();
    });
    src.addEventListener("presence", (e) => showPresence(JSON.parse(e.data).viewers));
    src.addEventListener("notify", (e) => {
      const n = JSON.parse(e.data).unread;
      const c = document.getElementById("notif-count");
      if (c) {
        c.textContent = n;
        c.hidden = n === 0;
      }
    });
    src.addEventListener("resync", refreshSoon);
    window.addEventListener("pagehide", () => src.close());
  }

  // ---------------------------------------------------------------- presence
  let typingUntil = 0;
  let lastTypingPing = 0;
  function sendPresence(state, keepalive) {
    if (!ticketId) return Promise.resolve();
    return fetch("/tickets/" + ticketId + "/presence", {
      method: "POST",
      credentials: "same-origin",
      keepalive: !!keepalive,
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify({ state: state }),
    })
      .then((r) => (r.ok ? r.json() : null))
      .then((j) => j && showPresence(j.viewers))
      .catch(() => {});
  }
  if (ticketId) {
    sendPresence("viewing");
    setInterval(() => sendPresence(typingUntil > Date.now() ? "typing" : "viewing"), 10000);
    window.addEventListener("pagehide", () => sendPresence("left", true));
  }
  // ---------------------------------------------------------------- composer
  const body = document.getElementById("reply-body");
  const composer = document.getElementById("composer");
  function setKind(kind) {
    const radio = document.getElementById(kind === "note" ? "kind-note" : "kind-public");
    if (!radio || !body) return;
    radio.checked = true;
    composer.classList.toggle("note-mode", kind === "note");
    body.placeholder = kind === "note" ? body.dataset.notePlaceholder : body.dataset.replyPlaceholder;
  }
  if (composer) {
    composer.querySelectorAll("input[name=kind]").forEach((r) => r.addEventListener("change", () => setKind(r.value)));
    setKind(document.getElementById("kind-note").checked ? "note" : "public");
  }
  if (body) {
    body.addEventListener("input", () => {
      typingUntil = Date.now() + 5000;
      if (Date.now() - lastTypingPing > 3000) {
        lastTypingPing = Date.now();
        sendPresence("typing");
      }
      mentionSuggest();
    });
  }

  // Suggested articles: one click puts a link or an excerpt into the reply.
  document.querySelectorAll("[data-insert]").forEach((b) =>
    b.addEventListener("click", () => {
      if (!body) return;
      const text = b.dataset.insert;
      const at = body.selectionStart ?? body.value.length;
      const before = body.value.slice(0, at);
      const sep = before && !before.endsWith("\n") ? "\n" : "";
      body.value = before + sep + text + "\n" + body.value.slice(at);
      body.focus();
      setKind(document.getElementById("kind-note").checked ? "note" : "public");
    })
  );

  // ---------------------------------------------------------------- @mentions
  const mentionList = document.getElementById("mention-list");
  const names = body && body.dataset.mentions ? JSON.parse(body.dataset.mentions) : [];
  const fold = (s) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").replace(/ł/g, "l").replace(/Ł/g, "L").toLowerCase();
  let mentionStart = -1;
  let mentionIndex = 0;
  function mentionSuggest() {
    if (!mentionList) return;
    const upto = body.value.slice(0, body.selectionStart);
    const at = upto.lastIndexOf("@");
    const typed = at >= 0 ? upto.slice(at + 1) : "";
    if (at < 0 || (at > 0 && /\w/.test(upto[at - 1])) || typed.length > 40 || /\n/.test(typed)) {
      mentionList.hidden = true;
      return;
    }
    const matches = names.filter((n) => fold(n).includes(fold(typed))).slice(0, 6);
    if (!matches.length) {
      mentionList.hidden = true;
      return;
    }
    mentionStart = at;
    mentionIndex = 0;
    mentionList.innerHTML = "";
    matches.forEach((n, i) => {
      const li = document.createElement("li");
      li.textContent = n;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", i === 0 ? "true" : "false");
      li.addEventListener("mousedown", (e) => {
        e.preventDefault();
        insertMention(n);
      });
      mentionList.appendChild(li);
    });
    mentionList.hidden = false;
  }
  function insertMention(name) {
    const before = body.value.slice(0, mentionStart);
    const after = body.value.slice(body.selectionStart);
    body.value = before + "@" + name + " " + after;
    const caret = before.length + name.length + 2;
    body.setSelectionRange(caret, caret);
    mentionList.hidden = true;
    body.focus();
  }
  if (body && mentionList) {
    body.addEventListener("keydown", (e) => {
      if (mentionList.hidden) return;
      const items = [...mentionList.children];
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        mentionIndex = (mentionIndex + (e.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
        items.forEach((li, i) => li.setAttribute("aria-selected", i === mentionIndex ? "true" : "false"));
      } else if (e.key === "Enter" || e.key === "Tab") {
        e.preventDefault();
        insertMention(items[mentionIndex].textContent);
      } else if (e.key === "Escape") {
        mentionList.hidden = true;
      }
    });
  }

  // ---------------------------------------------------------------- shortcuts
  // The inbox remembers its tickets, so `]` on a ticket opens the next one.
  function rememberList() {
    if (page !== "inbox") return;
    const ids = [...document.querySelectorAll("#inbox-list tr[data-ticket]")].map((r) => r.dataset.ticket);
    try {
      sessionStorage.setItem("rapport.list", JSON.stringify(ids));
    } catch (_) {}
  }
  rememberList();

  const dialog = document.getElementById("shortcuts");
  function toggleHelp() {
    if (!dialog) return;
    if (dialog.open) dialog.close();
    else dialog.showModal();
  }
  document.querySelectorAll("[data-shortcuts]").forEach((b) => b.addEventListener("click", toggleHelp));

  let cursor = -1;
  function rows() {
    return [...document.querySelectorAll("#inbox-list tr[data-ticket]")];
  }
  function moveCursor(step) {
    const r = rows();
    if (!r.length) return;
    cursor = Math.max(0, Math.min(r.length - 1, cursor + step));
    r.forEach((row, i) => row.classList.toggle("cursor", i === cursor));
    r[cursor].querySelector("a.subject").focus();
  }
  let lastKey = "";
  document.addEventListener("keydown", (e) => {
    const t = e.target;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) {
      if (e.key === "Escape") t.blur();
      return;
    }
    const key = e.key;
    const combo = lastKey === "g" ? "g " + key : key;
    lastKey = key;
    switch (combo) {
      case "?":
        toggleHelp();
        break;
      case "g i":
        location.href = "/";
        break;
      case "j":
        moveCursor(1);
        break;
      case "k":
        moveCursor(-1);
        break;
      case "o":
      case "Enter": {
        const r = rows()[cursor];
        if (page === "inbox" && r) location.href = "/tickets/" + r.dataset.ticket;
        else return;
        break;
      }
      case "x": {
        const r = rows()[cursor];
        if (r) {
          const c = r.querySelector("input[name=id]");
          c.checked = !c.checked;
        }
        break;
      }
      case "r":
      case "n":
        if (!body) return;
        setKind(key === "n" ? "note" : "public");
        body.focus();
        break;
      case "s": {
        const solve = document.getElementById("solve");
        if (solve) solve.click();
        break;
      }
      case "]": {
        let ids = [];
        try {
          ids = JSON.parse(sessionStorage.getItem("rapport.list") || "[]");
        } catch (_) {}
        const i = ids.indexOf(ticketId);
        if (i >= 0 && i + 1 < ids.length) location.href = "/tickets/" + ids[i + 1];
        break;
      }
      default:
        return;
    }
    e.preventDefault();
  });
})();

/*
 * Produktionslotsen chat widget: one <script> tag, no build step, nothing from a CDN.
 *
 *   <script src="http://localhost:8080/widget.js" data-server="http://localhost:5005"
 *           data-title="Produktionslotsen" defer></script>
 *
 * Talks to Rasa's REST channel (POST {server}/webhooks/rest/webhook). No message is ever parsed as
 * HTML: the bot's texts go through a small markdown renderer (bold, lists, links, www. and e-mail
 * addresses) that builds DOM nodes with textContent; the user's texts are shown as typed. The widget
 * lives in an open shadow root, so the host page's CSS cannot break it and its CSS cannot leak out;
 * theming goes through the --pl-* custom properties. The only global is window.ProduktionslotsenWidget.
 *
 * Limits are the REST channel's (bot/edge.py): at most MAX_MESSAGE_CHARS characters per message. When
 * the assistant answers with its temporary-error reply (marked `custom.retry`), the message was not
 * saved: the widget shows that reply with a "Skicka igen" button that sends the same message again.
 * A message that could not be delivered is marked "Inte skickat", announced, and sent again only when
 * the user presses the button; writing something new instead leaves it unsent.
 */
(function () {
  "use strict";

  if (window.ProduktionslotsenWidget) {
    return;
  }

  // UI strings; each can be overridden by a data-text-* attribute (data-text-send="Send" etc.).
  var TEXTS = {
    title: "Produktionslotsen",
    open: "Öppna chatten",
    closeChat: "Stäng chatten",
    close: "Stäng",
    reset: "Ny konversation",
    resetQuestion: "Vill du börja om? Samtalet hittills töms.",
    resetConfirm: "Börja om",
    resetCancel: "Avbryt",
    expand: "Större fönster",
    shrink: "Mindre fönster",
    log: "Konversation",
    placeholder: "Skriv ett meddelande…",
    inputLabel: "Meddelande",
    send: "Skicka",
    error: "Kunde inte nå assistenten. Försök igen.",
    empty: "Assistenten gav inget svar. Försök igen.",
    offline: "Du är inte ansluten till internet, så meddelandet har inte skickats. Skicka det när du är ansluten igen.",
    notSent: "Inte skickat",
    retry: "Försök igen",
    resend: "Skicka igen",
    slow: "Det tar längre tid än vanligt. Svaret kommer så snart assistenten är klar.",
    more: "Visa mer",
    less: "Visa mindre",
    unreadOne: "1 nytt meddelande",
    unreadMany: "{n} nya meddelanden",
    privacy: "Samtalet sparas för att assistenten ska kunna svara.",
    privacyLink: "Om personuppgifter",
    typing: "Assistenten skriver…",
    bot: "Assistenten:",
    user: "Du:",
    newTab: "(öppnas i ny flik)",
    rateGroup: "Var svaret till hjälp?",
    rateUp: "Bra svar",
    rateDown: "Dåligt svar",
  };

  // Inline markdown, tried left to right: **bold**, [label](https://…), https://…, www.…, e-mail.
  var INLINE =
    /\*\*([^*\n]+?)\*\*|\[([^[\]\n]+)\]\((https?:\/\/[^\s()<>"]+)\)|(https?:\/\/[^\s<>"'`]+)|(\bwww\.[a-z0-9-]+\.[^\s<>"'`]+)|([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})/gi;
  var BULLET = /^\s*[-*•]\s+(.*)$/;
  var NUMBERED = /^\s*(\d{1,3})[.)]\s+(.*)$/;
  // A longer line is a sentence, not a title (bot/telegram/formatting.py TITLE_MAX_CHARS: the advisor's
  // longest title line has 94 characters).
  var TITLE_MAX_CHARS = 100;
  var TRAILING_PUNCTUATION = /[.,;:!?'"»”’\]]$/;
  var SVG_NS = "http://www.w3.org/2000/svg";
  // The REST channel's limit (bot/edge.py MAX_MESSAGE_CHARS); longer messages get a polite refusal.
  var MAX_MESSAGE_CHARS = 2000;
  // Answers take 15–40 ms when all is well (README, Performance); 8 s is the Telegram bot's threshold
  // for the same notice, so both front ends say it at the same moment.
  var SLOW_AFTER_MS = 8000;
  // An answer taller than this (in px, about 17 lines at 16 px) starts collapsed behind "Visa mer":
  // the longest consultation summary is ~1,000 px in the 390 px panel; a 375×740 phone shows ~560 px.
  var COLLAPSED_HEIGHT = 400;
  // Matches the CSS breakpoint at which the open panel takes the whole screen.
  var FULL_SCREEN = "(max-width: 480px)";
  var ICONS = {
    chat: "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z",
    close: "M6 6l12 12M18 6L6 18",
    expand: "M14 4h6v6M10 20H4v-6M20 4l-7 7M4 20l7-7",
    shrink: "M20 10h-6V4M4 14h6v6M14 10l7-7M10 14l-7 7",
    // Thumbs up/down (Feather icons, MIT): drawn, not emoji, so they look the same without an emoji font.
    up: "M14 9V5a3 3 0 0 0-3-3l-4 9v11h11.28a2 2 0 0 0 2-1.7l1.38-9a2 2 0 0 0-2-2.3zM7 22H4a2 2 0 0 1-2-2v-7a2 2 0 0 1 2-2h3",
    down: "M10 15v4a3 3 0 0 0 3 3l4-9V2H5.72a2 2 0 0 0-2 1.7l-1.38 9a2 2 0 0 0 2 2.3zm7-13h2.67A2.31 2.31 0 0 1 22 4v7a2.31 2.31 0 0 1-2.33 2H17",
  };

  var script = document.currentScript || document.querySelector("script[src*='widget.js']");
  var dataset = (script && script.dataset) || {};
  var scriptUrl = (script && script.src) || window.location.href;

  var texts = readTexts(dataset);
  var config = {
    server: (dataset.server || "http://localhost:5005").replace(/\/+$/, ""),
    greeting: "greeting" in dataset ? dataset.greeting : "/greet",
    css: dataset.css || new URL("widget.css", scriptUrl).href,
    timeout: Number(dataset.timeout) > 0 ? Number(dataset.timeout) : 60000,
    startOpen: dataset.open === "true",
    privacyUrl: dataset.privacyUrl ? safeHref(dataset.privacyUrl) : null,
  };
  var prefix = "produktionslotsen:" + config.server + ":";
  var keys = {
    sender: prefix + "sender",
    history: prefix + "history",
    open: prefix + "open",
    wide: prefix + "wide",
    unread: prefix + "unread",
  };
  var local = storage("localStorage");
  var session = storage("sessionStorage");

  var state = {
    sender: local.getItem(keys.sender) || newSender(),
    history: loadHistory(),
    queue: [],
    busy: false,
    failed: false,
    generation: 0,
    controller: null,
    slowTimer: null,
    unread: Number(session.getItem(keys.unread)) || 0,
    lockedPage: null,
  };
  var ui = null;

  function readTexts(data) {
    var result = {};
    Object.keys(TEXTS).forEach(function (key) {
      var attribute = "text" + key.charAt(0).toUpperCase() + key.slice(1);
      result[key] = data[attribute] || TEXTS[key];
    });
    result.title = data.title || result.title;
    return result;
  }

  function storage(kind) {
    // Storage can be missing or throw (blocked cookies, private modes): fall back to memory.
    try {
      var store = window[kind];
      store.setItem("produktionslotsen:probe", "1");
      store.removeItem("produktionslotsen:probe");
      return store;
    } catch (error) {
      var memory = {};
      return {
        getItem: function (key) {
          return Object.prototype.hasOwnProperty.call(memory, key) ? memory[key] : null;
        },
        setItem: function (key, value) {
          memory[key] = String(value);
        },
        removeItem: function (key) {
          delete memory[key];
        },
      };
    }
  }

  function newSender() {
    // crypto.getRandomValues also works on plain-http pages, where randomUUID is missing.
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    var id =
      "web-" +
      Array.prototype.map
        .call(bytes, function (byte) {
          return byte.toString(16).padStart(2, "0");
        })
        .join("");
    local.setItem(keys.sender, id);
    return id;
  }

  function loadHistory() {
    try {
      var saved = JSON.parse(session.getItem(keys.history) || "[]");
      // A message that never got an answer before the reload is kept as not sent rather than sent twice.
      return Array.isArray(saved)
        ? saved.filter(isValidEntry).map(function (entry) {
            if (entry.pending) {
              delete entry.pending;
              entry.failed = true;
            }
            return entry;
          })
        : [];
    } catch (error) {
      return [];
    }
  }

  function isValidEntry(entry) {
    return entry && (entry.from === "bot" || entry.from === "user") && typeof entry.text === "string";
  }

  function saveHistory() {
    try {
      session.setItem(keys.history, JSON.stringify(state.history));
    } catch (error) {
      // Quota exceeded: the conversation still works, it just won't survive a reload.
    }
  }

  // ---- DOM helpers -------------------------------------------------------------------------------

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function button(className, label) {
    var node = el("button", className, label);
    node.type = "button";
    return node;
  }

  function icon(pathData) {
    var svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "pl-icon");
    var path = document.createElementNS(SVG_NS, "path");
    path.setAttribute("d", pathData);
    svg.appendChild(path);
    return svg;
  }

  function setIcon(node, pathData) {
    var old = node.querySelector("svg");
    if (old) {
      old.remove();
    }
    node.insertBefore(icon(pathData), node.firstChild);
  }

  function srOnly(text) {
    return el("span", "pl-sr", text);
  }

  function trimUrl(url) {
    while (TRAILING_PUNCTUATION.test(url) || (/\)$/.test(url) && url.indexOf("(") === -1)) {
      url = url.slice(0, -1);
    }
    return url;
  }

  function safeHref(url) {
    try {
      var parsed = new URL(url);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (error) {
      return null;
    }
  }

  function link(label, href, newTab) {
    var node = el("a", "pl-link", label);
    node.href = href;
    if (newTab) {
      node.target = "_blank";
      node.rel = "noopener noreferrer";
      node.appendChild(srOnly(" " + texts.newTab));
    }
    return node;
  }

  // ---- Markdown: a small, safe subset, built as DOM nodes --------------------------------------------

  function appendInline(parent, text) {
    var last = 0;
    var match;
    var pattern = new RegExp(INLINE.source, "gi");
    while ((match = pattern.exec(text)) !== null) {
      var node = null;
      var consumed = match[0];
      if (match[1] !== undefined) {
        node = el("strong");
        appendInline(node, match[1]);
      } else if (match[2] !== undefined) {
        var target = safeHref(match[3]);
        node = target ? link(match[2], target, true) : null;
      } else if (match[4] !== undefined || match[5] !== undefined) {
        consumed = trimUrl(consumed);
        var href = safeHref(match[4] !== undefined ? consumed : "https://" + consumed);
        node = href ? link(consumed, href, true) : null;
      } else {
        node = link(consumed, "mailto:" + consumed, false);
      }
      if (!node) {
        continue;
      }
      parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      parent.appendChild(node);
      last = match.index + consumed.length;
      pattern.lastIndex = last;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function isTitle(lines, index) {
    // The Telegram front end's rule (bot/telegram/formatting.py is_title): a short line ending in ':'
    // ("Nästa steg:"), or the first line of a longer message when it is short and ends without a full
    // stop ("Rekommendation: Svensk legotillverkare – börja med en nollserie").
    var line = lines[index].trim();
    if (!line || BULLET.test(line) || NUMBERED.test(line)) {
      return false;
    }
    if (line.length <= TITLE_MAX_CHARS && /:$/.test(line)) {
      return true;
    }
    var more = lines.slice(index + 1).some(function (rest) {
      return rest.trim();
    });
    return index === 0 && more && line.length <= TITLE_MAX_CHARS && !/[.!?…)]$/.test(line);
  }

  function renderMarkdown(parent, text) {
    // Paragraphs (lines joined by <br>), bullet and numbered lists, titles in bold; blank lines
    // separate paragraphs and end lists, an indented line continues the list item above it.
    var lines = text.replace(/\r\n?/g, "\n").trim().split("\n");
    var paragraph = null;
    var list = null;
    var item = null;
    lines.forEach(function (line, index) {
      var bullet = BULLET.exec(line);
      var numbered = !bullet && NUMBERED.exec(line);
      if (!line.trim()) {
        paragraph = list = item = null;
      } else if (bullet || numbered) {
        var tag = bullet ? "ul" : "ol";
        paragraph = null;
        if (!list || list.tagName.toLowerCase() !== tag) {
          list = el(tag);
          if (numbered && numbered[1] !== "1") {
            list.start = Number(numbered[1]);
          }
          parent.appendChild(list);
        }
        item = el("li");
        appendInline(item, bullet ? bullet[1] : numbered[2]);
        list.appendChild(item);
      } else if (item && /^\s+\S/.test(line)) {
        item.appendChild(el("br"));
        appendInline(item, line.trim());
      } else {
        list = item = null;
        if (paragraph) {
          paragraph.appendChild(el("br"));
        } else {
          paragraph = el("p");
          parent.appendChild(paragraph);
        }
        if (isTitle(lines, index)) {
          var title = el("strong");
          appendInline(title, line.replace(/\*\*/g, ""));
          paragraph.appendChild(title);
        } else {
          appendInline(paragraph, line);
        }
      }
    });
  }

  // ---- Building the widget -----------------------------------------------------------------------

  function build() {
    var host = document.createElement("produktionslotsen-widget");
    // Inline !important beats the host page's rules, e.g. a global `* { transform: ... }`. Set through
    // the CSSOM: a Content-Security-Policy without 'unsafe-inline' ignores a style attribute.
    host.style.setProperty("all", "initial", "important");
    host.style.setProperty("display", "block", "important");
    host.setAttribute("lang", "sv");
    var root = host.attachShadow({ mode: "open" });

    var stylesheet = document.createElement("link");
    stylesheet.rel = "stylesheet";
    stylesheet.href = config.css;
    root.appendChild(stylesheet);

    var wrapper = el("div", "pl-root");
    wrapper.lang = "sv";
    wrapper.style.visibility = "hidden";
    var reveal = function () {
      wrapper.style.visibility = "";
      if (!ui.panel.hidden) {
        showLatest();
        // The layout can still change after the stylesheet (web fonts, the first frames): show the
        // latest answer from its start again once it has settled.
        var again = function () {
          if (!ui.panel.hidden) {
            showLatest();
          }
        };
        window.requestAnimationFrame(function () {
          window.requestAnimationFrame(again);
        });
        if (document.fonts && document.fonts.ready) {
          document.fonts.ready.then(again);
        }
      }
    };
    stylesheet.addEventListener("load", reveal);
    stylesheet.addEventListener("error", reveal);

    var launcher = button("pl-launcher");
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-controls", "pl-panel");
    var badge = el("span", "pl-badge");
    badge.setAttribute("aria-hidden", "true");
    badge.hidden = true;
    launcher.appendChild(badge);

    var panel = el("section", "pl-panel");
    panel.id = "pl-panel";
    panel.hidden = true;
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-labelledby", "pl-title");

    // A div, not <header>: the host page has its own banner landmark.
    var header = el("div", "pl-header");
    var title = el("h2", "pl-title", texts.title);
    title.id = "pl-title";
    var resetButton = button("pl-reset", texts.reset);
    resetButton.setAttribute("aria-expanded", "false");
    resetButton.setAttribute("aria-controls", "pl-confirm");
    var expandButton = button("pl-expand pl-icon-button");
    var closeButton = button("pl-close pl-icon-button");
    closeButton.setAttribute("aria-label", texts.close);
    closeButton.title = texts.close;
    closeButton.appendChild(icon(ICONS.close));
    header.append(title, resetButton, expandButton, closeButton);

    var confirm = el("div", "pl-confirm");
    confirm.id = "pl-confirm";
    confirm.hidden = true;
    confirm.setAttribute("role", "group");
    confirm.setAttribute("aria-labelledby", "pl-confirm-text");
    var confirmText = el("p", "pl-confirm-text", texts.resetQuestion);
    confirmText.id = "pl-confirm-text";
    var confirmYes = button("pl-confirm-yes", texts.resetConfirm);
    var confirmNo = button("pl-confirm-no", texts.resetCancel);
    confirm.append(confirmText, confirmYes, confirmNo);

    var log = el("div", "pl-log");
    log.setAttribute("role", "log");
    log.setAttribute("aria-live", "polite");
    log.setAttribute("aria-relevant", "additions");
    log.setAttribute("aria-label", texts.log);
    log.tabIndex = 0;

    var typing = el("div", "pl-typing");
    typing.hidden = true;
    typing.setAttribute("aria-hidden", "true");
    typing.title = texts.typing;
    typing.append(el("span", "pl-dot"), el("span", "pl-dot"), el("span", "pl-dot"));
    log.appendChild(typing);

    // Visible notices (slow answer, offline) and a screen-reader-only line for everything announced.
    var notice = el("p", "pl-notice");
    notice.hidden = true;
    var announcer = el("div", "pl-sr");
    announcer.setAttribute("role", "status");

    var errorBox = el("div", "pl-error");
    errorBox.hidden = true;
    var errorText = el("p", "pl-error-text", texts.error);
    var retryButton = button("pl-retry", texts.retry);
    errorBox.append(errorText, retryButton);

    // One line under the input: that the conversation is stored, with a link to the privacy notice.
    var privacy = el("p", "pl-privacy", texts.privacy);
    if (config.privacyUrl) {
      privacy.append(" ", link(texts.privacyLink, config.privacyUrl, true));
    }

    var form = el("form", "pl-form");
    var label = el("label", "pl-sr", texts.inputLabel);
    label.htmlFor = "pl-input";
    var input = el("input", "pl-input");
    input.id = "pl-input";
    input.type = "text";
    input.autocomplete = "off";
    input.maxLength = MAX_MESSAGE_CHARS;
    input.placeholder = texts.placeholder;
    input.setAttribute("enterkeyhint", "send");
    var sendButton = el("button", "pl-send", texts.send);
    sendButton.type = "submit";
    form.append(label, input, sendButton);

    panel.append(header, confirm, log, notice, errorBox, form, privacy, announcer);
    wrapper.append(panel, launcher);
    root.appendChild(wrapper);
    // A child of <html>, not <body>: a transform or filter on the page's body would otherwise
    // become the containing block of the widget's fixed-position parts, and the page's body can be
    // made inert behind the full-screen panel without making the widget inert too.
    document.documentElement.appendChild(host);

    ui = {
      host: host,
      root: root,
      launcher: launcher,
      badge: badge,
      panel: panel,
      resetButton: resetButton,
      expandButton: expandButton,
      confirm: confirm,
      confirmNo: confirmNo,
      log: log,
      typing: typing,
      notice: notice,
      announcer: announcer,
      errorBox: errorBox,
      errorText: errorText,
      retryButton: retryButton,
      input: input,
      fullScreen: window.matchMedia ? window.matchMedia(FULL_SCREEN) : { matches: false },
    };

    launcher.addEventListener("click", function () {
      setOpen(panel.hidden, true);
    });
    closeButton.addEventListener("click", function () {
      setOpen(false, true);
    });
    resetButton.addEventListener("click", function () {
      showConfirm(confirm.hidden);
    });
    confirmYes.addEventListener("click", function () {
      showConfirm(false);
      resetConversation();
    });
    confirmNo.addEventListener("click", function () {
      showConfirm(false);
      resetButton.focus();
    });
    expandButton.addEventListener("click", function () {
      setWide(!panel.classList.contains("pl-panel--wide"));
    });
    retryButton.addEventListener("click", retry);
    wrapper.addEventListener("keydown", onKeydown);
    document.addEventListener("focusin", keepFocusInside);
    if (ui.fullScreen.addEventListener) {
      ui.fullScreen.addEventListener("change", updateModal);
    }
    window.addEventListener("offline", updateConnection);
    window.addEventListener("online", updateConnection);
    log.addEventListener("focusin", function (event) {
      // A link hidden in a collapsed answer that gets keyboard focus opens its answer.
      var clipped = event.target.closest && event.target.closest(".pl-body--collapsed");
      if (clipped) {
        setCollapsed(clipped, false);
      }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = input.value.trim().slice(0, MAX_MESSAGE_CHARS);
      if (text && userSends(text, text)) {
        input.value = "";
      }
    });

    state.history.forEach(function (entry) {
      renderEntry(entry);
    });
    setWide(session.getItem(keys.wide) === "1");
    updateLauncher();
    if (session.getItem(keys.open) === "1" || config.startOpen) {
      setOpen(true, false);
    }
  }

  function onKeydown(event) {
    if (event.key === "Escape") {
      if (!ui.confirm.hidden) {
        event.preventDefault();
        showConfirm(false);
        ui.resetButton.focus();
      } else if (!ui.panel.hidden) {
        event.preventDefault();
        setOpen(false, true);
      }
    } else if (event.key === "Tab" && isModal()) {
      // Full screen: Tab and Shift+Tab cycle through the panel's controls only.
      var focusable = focusableInPanel();
      var active = ui.root.activeElement;
      if (!focusable.length) {
        return;
      }
      var first = focusable[0];
      var last = focusable[focusable.length - 1];
      if (event.shiftKey && (active === first || focusable.indexOf(active) === -1)) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && (active === last || focusable.indexOf(active) === -1)) {
        event.preventDefault();
        first.focus();
      }
    }
  }

  function focusableInPanel() {
    return Array.prototype.filter.call(
      ui.panel.querySelectorAll("button, input, a[href], [tabindex='0']"),
      function (node) {
        return !node.disabled && node.getClientRects().length > 0;
      }
    );
  }

  function isModal() {
    return !ui.panel.hidden && ui.fullScreen.matches;
  }

  function keepFocusInside(event) {
    // Focus that escapes the full-screen panel (a click, a screen reader's own navigation) comes back.
    if (isModal() && event.target !== ui.host) {
      ui.input.focus();
    }
  }

  // ---- Rendering messages ------------------------------------------------------------------------

  function formatTime(time) {
    var date = new Date(time);
    var clock = date.toLocaleTimeString("sv-SE", { hour: "2-digit", minute: "2-digit" });
    if (date.toDateString() === new Date().toDateString()) {
      return clock;
    }
    return date.toLocaleDateString("sv-SE", { day: "numeric", month: "short" }) + " " + clock;
  }

  function renderEntry(entry) {
    var bubble = el("div", "pl-msg pl-msg--" + entry.from);
    bubble.appendChild(srOnly((entry.from === "bot" ? texts.bot : texts.user) + " "));
    var body = el("div", "pl-body");
    var content = el("div", "pl-text");
    if (entry.from === "bot") {
      renderMarkdown(content, entry.text);
    } else {
      content.textContent = entry.text;
    }
    body.appendChild(content);
    bubble.appendChild(body);
    if (entry.from === "bot" && entry.rating) {
      bubble.appendChild(ratingButtons(entry));
    }
    if (entry.time) {
      var stamp = el("time", "pl-time", formatTime(entry.time));
      stamp.dateTime = new Date(entry.time).toISOString();
      bubble.appendChild(stamp);
    }
    ui.log.insertBefore(bubble, ui.typing);
    if (entry.failed) {
      markFailed(bubble, true);
    }
    if (entry.offered && Array.isArray(entry.buttons)) {
      ui.log.insertBefore(quickReplies(entry.buttons), ui.typing);
    }
    if (!ui.panel.hidden) {
      collapseIfLong(bubble);
    }
    return bubble;
  }

  function collapseIfLong(bubble) {
    var body = bubble.querySelector(".pl-body");
    if (!body || body.dataset.measured || !bubble.classList.contains("pl-msg--bot")) {
      return;
    }
    var height = body.scrollHeight;
    if (!height) {
      return;
    }
    body.dataset.measured = "1";
    if (height <= COLLAPSED_HEIGHT * 1.25) {
      return;
    }
    var toggle = button("pl-more");
    toggle.setAttribute("aria-expanded", "false");
    body.id = "pl-body-" + Math.random().toString(36).slice(2);
    toggle.setAttribute("aria-controls", body.id);
    toggle.addEventListener("click", function () {
      setCollapsed(body, !body.classList.contains("pl-body--collapsed"));
    });
    body.parentNode.insertBefore(toggle, body.nextSibling);
    setCollapsed(body, true);
  }

  function setCollapsed(body, collapsed) {
    var toggle = body.nextSibling;
    body.classList.toggle("pl-body--collapsed", collapsed);
    toggle.textContent = collapsed ? texts.more : texts.less;
    toggle.setAttribute("aria-expanded", collapsed ? "false" : "true");
  }

  function markFailed(bubble, failed) {
    bubble.classList.toggle("pl-msg--failed", failed);
    var mark = bubble.querySelector(".pl-failed");
    if (failed && !mark) {
      bubble.appendChild(el("span", "pl-failed", texts.notSent));
    } else if (!failed && mark) {
      mark.remove();
    }
  }

  // 👍/👎 under a rateable answer (the REST reply's `rating` marker, bot/feedback.py). One rating per
  // answer, shown as the pressed button; the other button changes it (the assistant keeps the last one).
  function ratingButtons(entry) {
    var group = el("div", "pl-rate");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", texts.rateGroup);
    [
      ["up", texts.rateUp],
      ["down", texts.rateDown],
    ].forEach(function (choice) {
      var node = button("pl-rate-button");
      node.appendChild(icon(ICONS[choice[0]]));
      node.dataset.rating = choice[0];
      node.setAttribute("aria-label", choice[1]);
      node.title = choice[1];
      node.setAttribute("aria-pressed", entry.rated === choice[0] ? "true" : "false");
      node.addEventListener("click", function () {
        rate(entry, choice[0], group);
      });
      group.appendChild(node);
    });
    return group;
  }

  function rate(entry, value, group) {
    if (entry.rated === value) {
      return;
    }
    var payload = "/rate_answer" + JSON.stringify(Object.assign({ rating: value }, entry.rating));
    if (!userSends(payload, null)) {
      return;
    }
    entry.rated = value;
    saveHistory();
    group.querySelectorAll(".pl-rate-button").forEach(function (node) {
      node.setAttribute("aria-pressed", node.dataset.rating === value ? "true" : "false");
    });
  }

  function quickReplies(buttons) {
    var group = el("div", "pl-quick");
    group.setAttribute("role", "group");
    buttons.forEach(function (choice) {
      var node = button("pl-quick-reply", choice.title);
      node.addEventListener("click", function () {
        if (userSends(choice.payload, choice.title)) {
          ui.input.focus();
        }
      });
      group.appendChild(node);
    });
    return group;
  }

  function withdrawQuickReplies() {
    // Buttons belong to the bot's latest answer: once the user says something else they go.
    state.history.forEach(function (entry) {
      delete entry.offered;
    });
    ui.log.querySelectorAll(".pl-quick").forEach(function (group) {
      group.remove();
    });
  }

  function scrollToEnd() {
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  function scrollToStart(bubble) {
    // The top of the new answer at the top of the log (the browser stops at the end of the log).
    // The log is position: relative, so offsetTop is measured from its top.
    ui.log.scrollTop = bubble.offsetTop - 12;
  }

  function showLatest() {
    // Measure answers that arrived while the panel was closed, then show the latest answer from its
    // start, or the end when the latest message is the user's.
    ui.log.querySelectorAll(".pl-msg--bot").forEach(collapseIfLong);
    var messages = ui.log.querySelectorAll(".pl-msg");
    var latest = messages[messages.length - 1];
    if (!latest || latest.classList.contains("pl-msg--user") || state.busy) {
      scrollToEnd();
      return;
    }
    var first = latest;
    while (first.previousElementSibling && first.previousElementSibling.classList.contains("pl-msg--bot")) {
      first = first.previousElementSibling;
    }
    scrollToStart(first);
  }

  function announce(text) {
    // Cleared first so that the same text twice is announced twice.
    ui.announcer.textContent = "";
    setTimeout(function () {
      ui.announcer.textContent = text;
    }, 50);
  }

  function keepingTheEndInView(change) {
    // A notice or the error box takes room from the log: a log showing its end keeps showing it.
    var log = ui.log;
    var atEnd = log.scrollHeight - log.scrollTop - log.clientHeight < 24;
    change();
    if (atEnd) {
      scrollToEnd();
    }
  }

  function showNotice(text) {
    keepingTheEndInView(function () {
      ui.notice.textContent = text || "";
      ui.notice.hidden = !text;
    });
  }

  function updateStatus() {
    var waiting = state.busy && !state.failed;
    keepingTheEndInView(function () {
      ui.typing.hidden = !waiting;
      ui.errorBox.hidden = !state.failed;
    });
    ui.log.setAttribute("aria-busy", waiting ? "true" : "false");
  }

  function updateConnection() {
    if (navigator.onLine === false) {
      showNotice(texts.offline);
    } else if (ui.notice.textContent === texts.offline) {
      showNotice("");
    }
  }

  // ---- Talking to Rasa ---------------------------------------------------------------------------

  function userSends(message, shownAs) {
    // What the user typed or chose: refused (and said so) while offline; a failed message waiting
    // for "Försök igen" is left unsent rather than sent along with the new one.
    if (navigator.onLine === false) {
      showNotice(texts.offline);
      announce(texts.offline);
      return false;
    }
    if (state.failed) {
      state.queue = [];
      state.failed = false;
    }
    send(message, shownAs);
    return true;
  }

  function send(message, shownAs) {
    var item = { message: message, entry: null, node: null };
    if (shownAs !== null) {
      withdrawQuickReplies();
      item.entry = { from: "user", text: shownAs, time: Date.now(), pending: true };
      state.history.push(item.entry);
      item.node = renderEntry(item.entry);
      saveHistory();
    }
    state.queue.push(item);
    pump();
    if (item.entry) {
      scrollToEnd();
    }
  }

  function post(message) {
    var controller = window.AbortController ? new AbortController() : null;
    state.controller = controller;
    var timer = setTimeout(function () {
      if (controller) {
        controller.abort();
      }
    }, config.timeout);
    return fetch(config.server + "/webhooks/rest/webhook", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: state.sender, message: message }),
      signal: controller ? controller.signal : undefined,
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        if (!Array.isArray(data)) {
          throw new Error("unexpected answer");
        }
        return data;
      })
      .finally(function () {
        clearTimeout(timer);
      });
  }

  function toEntry(reply, offer) {
    var text = reply && typeof reply.text === "string" ? reply.text : "";
    var buttons = Array.isArray(reply && reply.buttons)
      ? reply.buttons.filter(function (b) {
          return b && typeof b.title === "string" && typeof b.payload === "string";
        })
      : [];
    if (!text.trim() && !buttons.length) {
      return null;
    }
    var entry = { from: "bot", text: text, time: Date.now() };
    var marker = ratingMarker(reply.rating);
    if (marker) {
      entry.rating = marker;
    }
    if (buttons.length) {
      entry.buttons = buttons.map(function (b) {
        return { title: b.title, payload: b.payload };
      });
      entry.offered = offer;
    }
    return entry;
  }

  function ratingMarker(rating) {
    // Only the marker's string values go back to the assistant in the rating message.
    if (!rating || typeof rating !== "object" || Array.isArray(rating)) {
      return null;
    }
    var marker = {};
    Object.keys(rating).forEach(function (key) {
      if (key !== "rating" && typeof rating[key] === "string") {
        marker[key] = rating[key];
      }
    });
    return Object.keys(marker).length ? marker : null;
  }

  function startSlowTimer() {
    clearTimeout(state.slowTimer);
    state.slowTimer = setTimeout(function () {
      showNotice(texts.slow);
      announce(texts.slow);
    }, SLOW_AFTER_MS);
  }

  function stopSlowTimer() {
    clearTimeout(state.slowTimer);
    if (ui.notice.textContent === texts.slow) {
      showNotice("");
    }
  }

  function pump() {
    if (state.busy || state.failed || !state.queue.length) {
      updateStatus();
      return;
    }
    var item = state.queue[0];
    var generation = state.generation;
    state.busy = true;
    updateStatus();
    startSlowTimer();
    post(item.message).then(
      function (replies) {
        state.busy = false;
        stopSlowTimer();
        if (generation !== state.generation) {
          return pump();
        }
        var temporary = replies.filter(isTemporaryError);
        if (temporary.length) {
          // The assistant could not process the message and did not keep it: offer to send it again.
          return fail(item, temporary[0].text, texts.resend);
        }
        // Quick replies are offered only if the user has not already moved on.
        var offer = !state.queue.slice(1).some(function (queued) {
          return queued.entry;
        });
        var entries = replies
          .map(function (reply) {
            return toEntry(reply, offer);
          })
          .filter(Boolean);
        if (!entries.length) {
          return fail(item, texts.empty, texts.retry);
        }
        state.queue.shift();
        if (item.entry) {
          delete item.entry.pending;
          delete item.entry.failed;
          markFailed(item.node, false);
        }
        var first = null;
        entries.forEach(function (entry) {
          state.history.push(entry);
          var node = renderEntry(entry);
          first = first || node;
        });
        saveHistory();
        if (ui.panel.hidden) {
          setUnread(state.unread + entries.length);
        } else if (!state.queue.length) {
          scrollToStart(first);
        } else {
          scrollToEnd();
        }
        pump();
      },
      function () {
        state.busy = false;
        stopSlowTimer();
        if (generation !== state.generation) {
          return pump();
        }
        fail(item, navigator.onLine === false ? texts.offline : texts.error, texts.retry);
      }
    );
  }

  function isTemporaryError(reply) {
    return Boolean(reply && reply.custom && reply.custom.retry === true && typeof reply.text === "string");
  }

  function fail(item, message, buttonLabel) {
    // The message and everything queued after it wait, unsent, for the user to press the button.
    state.failed = true;
    state.queue.forEach(function (queued) {
      if (queued.entry) {
        delete queued.entry.pending;
        queued.entry.failed = true;
        markFailed(queued.node, true);
      }
    });
    saveHistory();
    ui.errorText.textContent = message;
    ui.retryButton.textContent = buttonLabel;
    updateStatus();
    scrollToEnd();
    announce(message + " " + (item.entry ? texts.notSent + ": " + item.entry.text : ""));
  }

  function retry() {
    if (navigator.onLine === false) {
      showNotice(texts.offline);
      announce(texts.offline);
      return;
    }
    state.failed = false;
    state.queue.forEach(function (queued) {
      if (queued.entry) {
        delete queued.entry.failed;
        queued.entry.pending = true;
        markFailed(queued.node, false);
      }
    });
    saveHistory();
    ui.input.focus();
    pump();
  }

  // ---- Opening, closing, starting afresh ---------------------------------------------------------

  function greetIfNew() {
    if (config.greeting && !state.history.length && !state.queue.length) {
      send(config.greeting, null);
    }
  }

  function setUnread(count) {
    state.unread = count;
    session.setItem(keys.unread, String(count));
    updateLauncher();
  }

  function updateLauncher() {
    var open = !ui.panel.hidden;
    var label = open ? texts.closeChat : texts.open;
    if (!open && state.unread) {
      label +=
        ", " + (state.unread === 1 ? texts.unreadOne : texts.unreadMany.replace("{n}", String(state.unread)));
    }
    ui.launcher.setAttribute("aria-label", label);
    ui.launcher.title = label;
    ui.launcher.setAttribute("aria-expanded", open ? "true" : "false");
    ui.launcher.classList.toggle("pl-launcher--open", open);
    setIcon(ui.launcher, open ? ICONS.close : ICONS.chat);
    ui.badge.hidden = open || !state.unread;
    ui.badge.textContent = state.unread > 9 ? "9+" : String(state.unread);
  }

  function setWide(wide) {
    ui.panel.classList.toggle("pl-panel--wide", wide);
    session.setItem(keys.wide, wide ? "1" : "0");
    var label = wide ? texts.shrink : texts.expand;
    ui.expandButton.setAttribute("aria-label", label);
    ui.expandButton.title = label;
    ui.expandButton.setAttribute("aria-pressed", wide ? "true" : "false");
    setIcon(ui.expandButton, wide ? ICONS.shrink : ICONS.expand);
  }

  function updateModal() {
    // Full screen on a phone: a modal dialog; the page behind neither scrolls nor takes focus.
    var modal = isModal();
    if (modal) {
      ui.panel.setAttribute("aria-modal", "true");
    } else {
      ui.panel.removeAttribute("aria-modal");
    }
    if (modal && !state.lockedPage) {
      state.lockedPage = {
        htmlOverflow: document.documentElement.style.overflow,
        bodyOverflow: document.body.style.overflow,
        bodyInert: document.body.inert,
      };
      document.documentElement.style.overflow = "hidden";
      document.body.style.overflow = "hidden";
      document.body.inert = true;
    } else if (!modal && state.lockedPage) {
      document.documentElement.style.overflow = state.lockedPage.htmlOverflow;
      document.body.style.overflow = state.lockedPage.bodyOverflow;
      document.body.inert = state.lockedPage.bodyInert;
      state.lockedPage = null;
    }
  }

  function setOpen(open, moveFocus) {
    ui.panel.hidden = !open;
    session.setItem(keys.open, open ? "1" : "0");
    if (open) {
      setUnread(0);
    }
    updateLauncher();
    updateModal();
    updateConnection();
    if (open) {
      greetIfNew();
      showLatest();
      if (moveFocus) {
        ui.input.focus();
      }
    } else {
      showConfirm(false);
      if (moveFocus) {
        ui.launcher.focus();
      }
    }
  }

  function showConfirm(show) {
    ui.confirm.hidden = !show;
    ui.resetButton.setAttribute("aria-expanded", show ? "true" : "false");
    if (show) {
      ui.confirmNo.focus();
    }
  }

  function resetConversation() {
    state.generation += 1;
    if (state.controller) {
      state.controller.abort();
    }
    stopSlowTimer();
    state.queue = [];
    state.failed = false;
    state.history = [];
    state.sender = newSender();
    saveHistory();
    setUnread(0);
    ui.log.querySelectorAll(".pl-msg, .pl-quick").forEach(function (node) {
      node.remove();
    });
    updateStatus();
    greetIfNew();
    ui.input.focus();
  }

  function whenBuilt(action) {
    return function () {
      if (ui) {
        action();
      }
    };
  }

  window.ProduktionslotsenWidget = Object.freeze({
    open: whenBuilt(function () {
      setOpen(true, true);
    }),
    close: whenBuilt(function () {
      setOpen(false, true);
    }),
    reset: whenBuilt(resetConversation),
  });

  if (document.body) {
    build();
  } else {
    document.addEventListener("DOMContentLoaded", build);
  }
})();

/*
 * Produktionslotsen chat widget: one <script> tag, no build step, nothing from a CDN.
 *
 *   <script src="http://localhost:8080/widget.js" data-server="http://localhost:5005"
 *           data-title="Produktionslotsen" defer></script>
 *
 * Talks to Rasa's REST channel (POST {server}/webhooks/rest/webhook). Every message, the bot's and the
 * user's, is rendered as text (textContent), never as HTML. The widget lives in an open shadow root, so
 * the host page's CSS cannot break it and its CSS cannot leak out; theming goes through the --pl-*
 * custom properties, which do cross the shadow boundary. The only global is window.ProduktionslotsenWidget.
 *
 * Limits are the REST channel's (bot/edge.py): at most MAX_MESSAGE_CHARS characters per message. When
 * the assistant answers with its temporary-error reply (marked `custom.retry`), the message was not
 * saved: the widget shows that reply with a "Skicka igen" button that sends the same message again.
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
    close: "Stäng",
    reset: "Ny konversation",
    log: "Konversation",
    placeholder: "Skriv ett meddelande…",
    inputLabel: "Meddelande",
    send: "Skicka",
    error: "Kunde inte nå assistenten. Försök igen.",
    retry: "Försök igen",
    resend: "Skicka igen",
    privacy: "Samtalet sparas för att assistenten ska kunna svara.",
    privacyLink: "Om personuppgifter",
    typing: "Assistenten skriver…",
    bot: "Assistenten:",
    user: "Du:",
    newTab: "(öppnas i ny flik)",
  };

  var URL_PATTERN = /https?:\/\/[^\s<>"'`]+/g;
  var TRAILING_PUNCTUATION = /[.,;:!?'"»”’\]]$/;
  var SVG_NS = "http://www.w3.org/2000/svg";
  // The REST channel's limit (bot/edge.py MAX_MESSAGE_CHARS); longer messages get a polite refusal.
  var MAX_MESSAGE_CHARS = 2000;

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
  var keys = {
    sender: "produktionslotsen:" + config.server + ":sender",
    history: "produktionslotsen:" + config.server + ":history",
    open: "produktionslotsen:" + config.server + ":open",
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
      // A message that never got an answer before the reload is dropped rather than sent twice.
      return Array.isArray(saved)
        ? saved.filter(function (entry) {
            return isValidEntry(entry) && !entry.pending;
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

  function appendLinkified(parent, text) {
    var last = 0;
    var match;
    URL_PATTERN.lastIndex = 0;
    while ((match = URL_PATTERN.exec(text)) !== null) {
      var url = trimUrl(match[0]);
      var href = safeHref(url);
      if (!href) {
        continue;
      }
      parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      var link = el("a", "pl-link", url);
      link.href = href;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      link.appendChild(srOnly(" " + texts.newTab));
      parent.appendChild(link);
      last = match.index + url.length;
      URL_PATTERN.lastIndex = last;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  // ---- Building the widget -----------------------------------------------------------------------

  function build() {
    var host = document.createElement("produktionslotsen-widget");
    // Inline !important beats the host page's rules, e.g. a global `* { transform: ... }`.
    host.setAttribute("style", "all: initial !important; display: block !important;");
    var root = host.attachShadow({ mode: "open" });

    var stylesheet = document.createElement("link");
    stylesheet.rel = "stylesheet";
    stylesheet.href = config.css;
    root.appendChild(stylesheet);

    var wrapper = el("div", "pl-root");
    wrapper.style.visibility = "hidden";
    var reveal = function () {
      wrapper.style.visibility = "";
    };
    stylesheet.addEventListener("load", reveal);
    stylesheet.addEventListener("error", reveal);

    var launcher = el("button", "pl-launcher");
    launcher.type = "button";
    launcher.setAttribute("aria-label", texts.open);
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-controls", "pl-panel");
    launcher.title = texts.title;
    launcher.appendChild(
      icon("M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z")
    );

    var panel = el("section", "pl-panel");
    panel.id = "pl-panel";
    panel.hidden = true;
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-labelledby", "pl-title");

    var header = el("header", "pl-header");
    var title = el("h2", "pl-title", texts.title);
    title.id = "pl-title";
    var resetButton = el("button", "pl-reset", texts.reset);
    resetButton.type = "button";
    var closeButton = el("button", "pl-close");
    closeButton.type = "button";
    closeButton.setAttribute("aria-label", texts.close);
    closeButton.title = texts.close;
    closeButton.appendChild(icon("M6 6l12 12M18 6L6 18"));
    header.append(title, resetButton, closeButton);

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

    var errorBox = el("div", "pl-error");
    errorBox.hidden = true;
    var errorText = el("p", "pl-error-text", texts.error);
    var retryButton = el("button", "pl-retry", texts.retry);
    retryButton.type = "button";
    errorBox.append(errorText, retryButton);

    // One line under the input: that the conversation is stored, with a link to the privacy notice.
    var privacy = el("p", "pl-privacy", texts.privacy);
    if (config.privacyUrl) {
      var privacyLink = el("a", "pl-link", texts.privacyLink);
      privacyLink.href = config.privacyUrl;
      privacyLink.target = "_blank";
      privacyLink.rel = "noopener noreferrer";
      privacyLink.appendChild(srOnly(" " + texts.newTab));
      privacy.append(" ", privacyLink);
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

    panel.append(header, log, errorBox, form, privacy);
    wrapper.append(panel, launcher);
    root.appendChild(wrapper);
    // A child of <html>, not <body>: a transform or filter on the page's body would otherwise
    // become the containing block of the widget's fixed-position parts.
    document.documentElement.appendChild(host);

    ui = {
      launcher: launcher,
      panel: panel,
      log: log,
      typing: typing,
      errorBox: errorBox,
      errorText: errorText,
      retryButton: retryButton,
      input: input,
    };

    launcher.addEventListener("click", function () {
      setOpen(panel.hidden, true);
    });
    closeButton.addEventListener("click", function () {
      setOpen(false, true);
    });
    resetButton.addEventListener("click", resetConversation);
    retryButton.addEventListener("click", retry);
    wrapper.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !panel.hidden) {
        event.preventDefault();
        setOpen(false, true);
      }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = input.value.trim().slice(0, MAX_MESSAGE_CHARS);
      if (text) {
        input.value = "";
        send(text, text);
      }
    });

    state.history.forEach(renderEntry);
    if (session.getItem(keys.open) === "1" || config.startOpen) {
      setOpen(true, false);
    }
  }

  // ---- Rendering messages ------------------------------------------------------------------------

  function renderEntry(entry) {
    var bubble = el("div", "pl-msg pl-msg--" + entry.from);
    bubble.appendChild(srOnly((entry.from === "bot" ? texts.bot : texts.user) + " "));
    var body = el("p", "pl-text");
    if (entry.from === "bot") {
      appendLinkified(body, entry.text);
    } else {
      body.textContent = entry.text;
    }
    bubble.appendChild(body);
    ui.log.insertBefore(bubble, ui.typing);
    if (entry.offered && Array.isArray(entry.buttons)) {
      ui.log.insertBefore(quickReplies(entry.buttons), ui.typing);
    }
    scrollToEnd();
    return bubble;
  }

  function quickReplies(buttons) {
    var group = el("div", "pl-quick");
    group.setAttribute("role", "group");
    buttons.forEach(function (button) {
      var choice = el("button", "pl-quick-reply", button.title);
      choice.type = "button";
      choice.addEventListener("click", function () {
        send(button.payload, button.title);
        ui.input.focus();
      });
      group.appendChild(choice);
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

  function updateStatus() {
    var waiting = state.busy && !state.failed;
    ui.typing.hidden = !waiting;
    ui.log.setAttribute("aria-busy", waiting ? "true" : "false");
    ui.errorBox.hidden = !state.failed;
    if (state.failed) {
      ui.errorBox.setAttribute("role", "alert");
    } else {
      ui.errorBox.removeAttribute("role");
    }
    scrollToEnd();
  }

  // ---- Talking to Rasa ---------------------------------------------------------------------------

  function send(message, shownAs) {
    var item = { message: message, entry: null, node: null };
    if (shownAs !== null) {
      withdrawQuickReplies();
      item.entry = { from: "user", text: shownAs, pending: true };
      state.history.push(item.entry);
      item.node = renderEntry(item.entry);
      saveHistory();
    }
    state.queue.push(item);
    pump();
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
    if (!text && !buttons.length) {
      return null;
    }
    var entry = { from: "bot", text: text };
    if (buttons.length) {
      entry.buttons = buttons.map(function (b) {
        return { title: b.title, payload: b.payload };
      });
      entry.offered = offer;
    }
    return entry;
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
    post(item.message).then(
      function (replies) {
        state.busy = false;
        if (generation !== state.generation) {
          return pump();
        }
        var temporary = replies.filter(isTemporaryError);
        if (temporary.length) {
          // The assistant could not process the message and did not keep it: offer to send it again.
          return fail(item, temporary[0].text, texts.resend);
        }
        state.queue.shift();
        if (item.entry) {
          delete item.entry.pending;
          item.node.classList.remove("pl-msg--failed");
        }
        // Quick replies are offered only if the user has not already moved on.
        var offer = !state.queue.some(function (queued) {
          return queued.entry;
        });
        replies.forEach(function (reply) {
          var entry = toEntry(reply, offer);
          if (entry) {
            state.history.push(entry);
            renderEntry(entry);
          }
        });
        saveHistory();
        pump();
      },
      function () {
        state.busy = false;
        if (generation !== state.generation) {
          return pump();
        }
        fail(item, texts.error, texts.retry);
      }
    );
  }

  function isTemporaryError(reply) {
    return Boolean(reply && reply.custom && reply.custom.retry === true && typeof reply.text === "string");
  }

  function fail(item, message, buttonLabel) {
    // Keep the message (and everything queued after it) for the retry.
    state.failed = true;
    if (item.node) {
      item.node.classList.add("pl-msg--failed");
    }
    ui.errorText.textContent = message;
    ui.retryButton.textContent = buttonLabel;
    updateStatus();
  }

  function retry() {
    state.failed = false;
    ui.input.focus();
    pump();
  }

  // ---- Opening, closing, starting afresh ---------------------------------------------------------

  function greetIfNew() {
    if (config.greeting && !state.history.length && !state.queue.length) {
      send(config.greeting, null);
    }
  }

  function setOpen(open, moveFocus) {
    ui.panel.hidden = !open;
    ui.launcher.setAttribute("aria-expanded", open ? "true" : "false");
    ui.launcher.classList.toggle("pl-launcher--open", open);
    session.setItem(keys.open, open ? "1" : "0");
    if (open) {
      greetIfNew();
      scrollToEnd();
      if (moveFocus) {
        ui.input.focus();
      }
    } else if (moveFocus) {
      ui.launcher.focus();
    }
  }

  function resetConversation() {
    state.generation += 1;
    if (state.controller) {
      state.controller.abort();
    }
    state.queue = [];
    state.failed = false;
    state.history = [];
    state.sender = newSender();
    saveHistory();
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

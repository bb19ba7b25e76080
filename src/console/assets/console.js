/* The console's one script: passkeys (WebAuthn needs the browser API). Everything else
   works without JavaScript. Loaded after /console/assets/webauthn.js (SimpleWebAuthn's
   browser bundle, served from our own origin). A button `data-passkey="<mode>"` starts a
   ceremony: it POSTs JSON to `data-options` for the options, runs the browser ceremony, and
   POSTs the answer to `data-verify`; the answer says where to go next, or which recovery
   codes to show once. The CSRF token (when there is a session) rides in x-csrf-token. */
'use strict';
(function () {
  var lib = window.SimpleWebAuthnBrowser;
  function show(el, text) {
    if (!el) return;
    el.textContent = text;
    el.hidden = false;
  }
  function post(url, body, csrf) {
    var headers = { 'content-type': 'application/json', accept: 'application/json' };
    if (csrf) headers['x-csrf-token'] = csrf;
    return fetch(url, { method: 'POST', headers: headers, body: JSON.stringify(body || {}), credentials: 'same-origin' }).then(
      function (r) {
        return r.json().then(function (data) {
          if (!r.ok) throw new Error(data && data.message ? data.message : 'HTTP ' + r.status);
          return data;
        });
      },
    );
  }
  function showCodes(button, codes, next) {
    var box = document.getElementById(button.getAttribute('data-codes-box'));
    var list = box && box.querySelector('ol');
    if (!box || !list) {
      window.location.assign(next);
      return;
    }
    codes.forEach(function (code) {
      var li = document.createElement('li');
      li.textContent = code;
      list.appendChild(li);
    });
    var link = box.querySelector('a');
    if (link) link.setAttribute('href', next);
    document.querySelectorAll('[data-hide-after-enroll]').forEach(function (el) {
      el.hidden = true;
    });
    box.hidden = false;
    var heading = box.querySelector('h2');
    if (heading) heading.focus();
  }
  function start(button) {
    var mode = button.getAttribute('data-passkey');
    var status = document.getElementById(button.getAttribute('data-status'));
    var csrf = button.getAttribute('data-csrf');
    show(status, button.getAttribute('data-working'));
    button.disabled = true;
    post(button.getAttribute('data-options'), {}, csrf)
      .then(function (data) {
        var ceremony =
          mode === 'authenticate'
            ? lib.startAuthentication({ optionsJSON: data.options })
            : lib.startRegistration({ optionsJSON: data.options });
        return ceremony.then(function (response) {
          return post(button.getAttribute('data-verify'), { ceremony: data.ceremony, response: response }, csrf);
        });
      })
      .then(function (result) {
        if (result.recoveryCodes) showCodes(button, result.recoveryCodes, result.redirect);
        else window.location.assign(result.redirect);
      })
      .catch(function () {
        show(status, button.getAttribute('data-failed'));
        button.disabled = false;
      });
  }
  document.addEventListener('DOMContentLoaded', function () {
    var supported = !!(lib && lib.browserSupportsWebAuthn && lib.browserSupportsWebAuthn());
    document.querySelectorAll('[data-passkey]').forEach(function (button) {
      var wrapper = button.closest('[data-passkey-block]');
      if (!supported) return;
      if (wrapper) wrapper.hidden = false;
      button.addEventListener('click', function () {
        start(button);
      });
    });
    document.querySelectorAll('[data-passkey-noscript]').forEach(function (el) {
      if (supported) el.hidden = true;
    });
  });
})();

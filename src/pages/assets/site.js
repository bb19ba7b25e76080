/* Progressive enhancement of the public pages; everything works without it.
   - forms[data-form] are sent to the JSON API (data-api) and the thank-you shown in place;
   - the proof-of-work challenge (data-pow) is solved here when the platform asks for one;
   - the live count ([data-signature-count], [data-spots-left]) follows the public GET;
   - the copy-link button; inside an iframe, the page's height is posted to the host page.
   Same origin only; no inline script; no third party. */
(function () {
  'use strict';

  var embedded = window.parent !== window;

  function postHeight() {
    if (!embedded) return;
    var height = Math.ceil(document.documentElement.scrollHeight);
    window.parent.postMessage({ type: 'campaign-embed:resize', height: height }, '*');
  }

  function hex(buffer) {
    var bytes = new Uint8Array(buffer);
    var out = '';
    for (var i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
    return out;
  }

  /* ALTCHA v1: find n <= maxnumber with SHA-256(salt + n) = challenge. */
  async function solveChallenge(url) {
    var res = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'omit' });
    if (!res.ok) throw new Error('challenge ' + res.status);
    var c = await res.json();
    var encoder = new TextEncoder();
    for (var n = 0; n <= c.maxnumber; n++) {
      var digest = await crypto.subtle.digest('SHA-256', encoder.encode(c.salt + n));
      if (hex(digest) === c.challenge) {
        var payload = { algorithm: c.algorithm, challenge: c.challenge, number: n, salt: c.salt, signature: c.signature };
        return btoa(JSON.stringify(payload));
      }
    }
    throw new Error('challenge not solved');
  }

  function clearErrors(form) {
    var olds = form.querySelectorAll('.field-error, .form-errors');
    for (var i = 0; i < olds.length; i++) olds[i].remove();
    var invalid = form.querySelectorAll('[aria-invalid]');
    for (var j = 0; j < invalid.length; j++) {
      invalid[j].removeAttribute('aria-invalid');
      invalid[j].removeAttribute('aria-describedby');
    }
    form.removeAttribute('aria-describedby');
  }

  function showErrors(form, details) {
    var first = null;
    var seen = {};
    for (var i = 0; i < details.length; i++) {
      var name = String(details[i].field || '').split('.')[0];
      if (seen[name]) continue;
      seen[name] = true;
      var input = form.querySelector('[name="' + name + '"]:not([type="hidden"])');
      var message = document.createElement('p');
      message.className = 'field-error';
      if (input) {
        message.id = input.id + '-error';
        message.textContent = input.getAttribute('data-error') || form.getAttribute('data-error-field');
        input.setAttribute('aria-invalid', 'true');
        input.setAttribute('aria-describedby', message.id);
        input.closest('.field').appendChild(message);
        if (!first) first = input;
      } else {
        message.id = name + '-error';
        message.textContent = name === 'altcha' ? form.getAttribute('data-error-altcha') : form.getAttribute('data-error-field');
        form.querySelector('button[type="submit"]').before(message);
      }
    }
    var summary = document.createElement('p');
    summary.className = 'form-errors';
    summary.id = 'form-errors';
    summary.setAttribute('role', 'alert');
    summary.textContent = form.getAttribute('data-error-summary');
    form.prepend(summary);
    form.setAttribute('aria-describedby', 'form-errors');
    (first || summary).focus();
  }

  function body(form) {
    var data = new FormData(form);
    var out = {};
    data.forEach(function (value, name) {
      if (typeof value !== 'string' || value === '' || name === 'website') return;
      var input = form.querySelector('[name="' + name + '"]');
      if (input && input.type === 'checkbox') out[name] = true;
      else if (name === 'guests' && /^\d{1,3}$/.test(value)) out[name] = Number(value);
      else out[name] = value;
    });
    return out;
  }

  function enhanceForm(form) {
    var status = form.querySelector('[data-form-status]');
    var button = form.querySelector('button[type="submit"]');
    var thanks = form.parentNode.querySelector('[data-thanks]');
    form.addEventListener('submit', async function (event) {
      event.preventDefault();
      if (button.disabled) return;
      clearErrors(form);
      var honeypot = form.querySelector('[name="website"]');
      var payload = body(form);
      button.disabled = true;
      status.textContent = form.getAttribute('data-submitting');
      try {
        if (honeypot && honeypot.value) {
          // A bot filled the invisible field: answer as to anyone, send nothing.
        } else {
          if (form.hasAttribute('data-pow')) {
            status.textContent = form.getAttribute('data-pow-running');
            payload.altcha = await solveChallenge(form.getAttribute('data-pow'));
          }
          var res = await fetch(form.getAttribute('data-api'), {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
            body: JSON.stringify(payload),
            credentials: 'omit',
          });
          if (res.status === 400) {
            var problem = await res.json();
            status.textContent = '';
            showErrors(form, problem.details || []);
            return;
          }
          if (res.status === 404 || res.status === 410) {
            window.location.reload();
            return;
          }
          if (res.status === 429) throw new Error(form.getAttribute('data-error-busy'));
          if (res.status !== 202) throw new Error(form.getAttribute('data-error-network'));
        }
        form.hidden = true;
        if (thanks) {
          thanks.hidden = false;
          thanks.focus();
        }
      } catch (err) {
        status.textContent = err && err.message && err.message.indexOf(' ') > 0 ? err.message : form.getAttribute('data-error-network');
      } finally {
        button.disabled = false;
        if (!form.hidden && status.textContent === form.getAttribute('data-submitting')) status.textContent = '';
        postHeight();
      }
    });
  }

  function pollCounts(holder) {
    var url = holder.getAttribute('data-poll');
    var numbers = new Intl.NumberFormat(holder.getAttribute('data-number-locale') || document.documentElement.lang);
    var count = holder.querySelector('[data-signature-count]');
    var progress = holder.querySelector('[data-signature-progress]');
    var spots = holder.querySelector('[data-spots-left]');
    if (!count && !spots) return;
    async function refresh() {
      if (document.hidden) return;
      try {
        var res = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'omit' });
        if (!res.ok) return;
        var data = await res.json();
        if (count && typeof data.signatureCount === 'number') {
          count.textContent = numbers.format(data.signatureCount);
          if (progress && typeof data.goal === 'number') {
            progress.max = data.goal;
            progress.value = Math.min(data.signatureCount, data.goal);
          }
        }
        if (spots && typeof data.spotsLeft === 'number') spots.textContent = numbers.format(data.spotsLeft);
      } catch {
        /* offline for a moment: the next tick tries again */
      }
    }
    setInterval(refresh, 5000);
  }

  function enhanceCopy(button) {
    if (!navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener('click', async function () {
      try {
        await navigator.clipboard.writeText(button.getAttribute('data-copy-link'));
        button.textContent = button.getAttribute('data-copied');
      } catch {
        /* clipboard refused: the share links remain */
      }
    });
  }

  function start() {
    var forms = document.querySelectorAll('form[data-form][data-api]');
    for (var i = 0; i < forms.length; i++) enhanceForm(forms[i]);
    var polled = document.querySelectorAll('[data-poll]');
    for (var j = 0; j < polled.length; j++) pollCounts(polled[j]);
    var copies = document.querySelectorAll('[data-copy-link]');
    for (var k = 0; k < copies.length; k++) enhanceCopy(copies[k]);
    if (embedded) {
      postHeight();
      if (window.ResizeObserver) new ResizeObserver(postHeight).observe(document.body);
      window.addEventListener('load', postHeight);
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();

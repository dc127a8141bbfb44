/* Gongshi verification page: re-checks in the browser that each shown version is in the
 * publication log. Our own code (AGPL-3.0-or-later, like the project), no dependencies.
 *
 * 1. the checkpoint's Ed25519 signature (WebCrypto; if the browser lacks Ed25519, the page
 *    says the signature was checked by the server instead);
 * 2. consistency with the last checkpoint this browser saw (kept in localStorage);
 * 3. for each version: SHA-256(0x00 || canonical JSON of the data shown) and its RFC 9162
 *    inclusion proof against the checkpoint's root;
 * 4. the SHA-256 of every attached file, downloaded again.
 */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("verify-data").textContent);
  var M = data.messages;
  var subtle = window.crypto && window.crypto.subtle;

  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, k) { return String(values[k]); });
  }
  function b64(text) {
    var raw = atob(text), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }
  function hex(bytes) {
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function concat() {
    var n = 0, i, parts = arguments;
    for (i = 0; i < parts.length; i++) n += parts[i].length;
    var out = new Uint8Array(n), at = 0;
    for (i = 0; i < parts.length; i++) { out.set(parts[i], at); at += parts[i].length; }
    return out;
  }
  function equal(a, b) {
    if (a.length !== b.length) return false;
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  async function sha256(bytes) { return new Uint8Array(await subtle.digest("SHA-256", bytes)); }
  function leafHash(entry) { return sha256(concat(new Uint8Array([0]), entry)); }
  function nodeHash(l, r) { return sha256(concat(new Uint8Array([1]), l, r)); }

  /* The entry's documented serialisation: sorted keys, no spaces, integers only. */
  function canonical(value) {
    if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
    if (typeof value === "number") {
      if (!Number.isInteger(value)) throw new Error("float in entry");
      return String(value);
    }
    if (Array.isArray(value)) return "[" + value.map(canonical).join(",") + "]";
    return "{" + Object.keys(value).sort().map(function (k) {
      return JSON.stringify(k) + ":" + canonical(value[k]);
    }).join(",") + "}";
  }

  /* RFC 9162 §2.1.3.2 */
  async function rootFromInclusion(index, size, leaf, proof) {
    if (index >= size) return null;
    var fn = index, sn = size - 1, r = leaf;
    for (var i = 0; i < proof.length; i++) {
      if (sn === 0) return null;
      if (fn % 2 === 1 || fn === sn) {
        r = await nodeHash(proof[i], r);
        if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
      } else {
        r = await nodeHash(r, proof[i]);
      }
      fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
    }
    return sn === 0 ? r : null;
  }

  /* RFC 9162 §2.1.4.2; returns true when the tree of size first is a prefix of second. */
  async function consistent(first, second, proof, firstRoot, secondRoot) {
    if (first === second) return proof.length === 0 && equal(firstRoot, secondRoot);
    if (first === 0) return proof.length === 0;
    if (first > second || proof.length === 0) return false;
    var path = proof.slice();
    if ((first & (first - 1)) === 0) path.unshift(firstRoot);
    var fn = first - 1, sn = second - 1;
    while (fn % 2 === 1) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
    var fr = path[0], sr = path[0];
    for (var i = 1; i < path.length; i++) {
      if (sn === 0) return false;
      if (fn % 2 === 1 || fn === sn) {
        fr = await nodeHash(path[i], fr);
        sr = await nodeHash(path[i], sr);
        if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
      } else {
        sr = await nodeHash(sr, path[i]);
      }
      fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
    }
    return sn === 0 && equal(fr, firstRoot) && equal(sr, secondRoot);
  }

  async function getJSON(url) {
    var response = await fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" });
    if (!response.ok) throw new Error(fmt(M.http_error, { url: url, status: response.status }));
    return response.json();
  }

  /* C2SP signed note: returns {origin, size, root, signature: "ok" | "server" | "bad"}. */
  async function checkNote(note, key) {
    var cut = note.lastIndexOf("\n\n");
    if (cut < 0) throw new Error(M.note_malformed);
    var body = note.slice(0, cut + 1), lines = body.split("\n");
    var result = { origin: lines[0], size: Number(lines[1]), root: b64(lines[2]), signature: "bad" };
    if (lines.length < 4 || !/^\d+$/.test(lines[1]) || result.root.length !== 32) throw new Error(M.note_malformed);
    // verifier key: name+keyid+base64(0x01 || key); names never contain "+", base64 may.
    var raw = b64(key.verifier_key.split("+").slice(2).join("+")).slice(1), keyId = key.key_id;
    var sigLines = note.slice(cut + 2).split("\n").filter(function (l) { return l.indexOf("\u2014 ") === 0; });
    var blob = null;
    sigLines.forEach(function (line) {
      var parts = line.slice(2).split(" "), candidate = b64(parts[parts.length - 1]);
      if (parts[0] === key.origin && hex(candidate.slice(0, 4)) === keyId) blob = candidate;
    });
    if (!blob) return result;
    try {
      var cryptoKey = await subtle.importKey("raw", raw, { name: "Ed25519" }, false, ["verify"]);
      var ok = await subtle.verify({ name: "Ed25519" }, cryptoKey, blob.slice(4), new TextEncoder().encode(body));
      result.signature = ok ? "ok" : "bad";
    } catch (e) {
      result.signature = data.server_signature_ok ? "server" : "bad";
    }
    return result;
  }

  function differingFields(shown, logged) {
    var keys = {}, out = [];
    Object.keys(shown).concat(Object.keys(logged)).forEach(function (k) { keys[k] = true; });
    Object.keys(keys).sort().forEach(function (k) {
      if (canonical(shown[k] === undefined ? null : shown[k]) !== canonical(logged[k] === undefined ? null : logged[k])) out.push(k);
    });
    return out;
  }

  function setRow(index, ok, text) {
    var cell = document.querySelector('[data-version-row="' + index + '"] .verify-status');
    if (!cell) return;
    cell.className = "verify-status " + (ok ? "status-ok" : "status-bad");
    cell.textContent = text;
  }

  async function checkVersion(position, version, logged, size, root) {
    var problems = [], label = version.label;
    if (version.leaf_index === null) return [fmt(M.not_logged, { label: label })];
    if (version.leaf_index >= size) {
      return [fmt(M.not_covered, { label: label, index: version.leaf_index, size: size })];
    }
    var mine = await leafHash(new TextEncoder().encode(canonical(version.published)));
    if (!logged || !logged.entry) {
      problems.push(fmt(M.entry_missing, { label: label, index: version.leaf_index }));
    } else if (logged.inclusion_proof === null) {
      problems.push(fmt(M.proof_missing, { label: label, index: version.leaf_index }));
    } else {
      var reached = await rootFromInclusion(version.leaf_index, size, mine, logged.inclusion_proof.map(b64));
      if (!reached || !equal(reached, root)) {
        var fields = differingFields(version.published, JSON.parse(logged.entry.entry));
        problems.push(fields.length
          ? fmt(M.fields_differ, { label: label, index: version.leaf_index, fields: fields.join("、") })
          : fmt(M.not_included, { label: label, index: version.leaf_index }));
      }
    }
    for (var i = 0; i < version.files.length; i++) {
      var file = version.files[i];
      try {
        var response = await fetch(file.url, { cache: "no-store" });
        if (!response.ok) throw new Error(String(response.status));
        var digest = hex(await sha256(new Uint8Array(await response.arrayBuffer())));
        if (digest !== version.published.files[i].sha256) {
          problems.push(fmt(M.file_changed, { label: label, name: file.name }));
        }
      } catch (e) {
        problems.push(fmt(M.file_unavailable, { label: label, name: file.name }));
      }
    }
    return problems;
  }

  function show(ok, headline, lines) {
    var box = document.getElementById("verify-result");
    box.className = "verify-result " + (ok ? "verify-ok" : "verify-bad");
    box.querySelector(".verify-headline").textContent = headline;
    var list = box.querySelector(".verify-details");
    list.textContent = "";
    lines.forEach(function (line) {
      var li = document.createElement("li");
      li.textContent = line;
      list.appendChild(li);
    });
    box.setAttribute("data-state", ok ? "ok" : "failed");
  }

  async function run() {
    if (!subtle) { show(false, M.no_webcrypto, []); return; }
    var problems = [], notes = [];
    var key = await getJSON(data.urls.public_key);
    var cp;
    try { cp = await getJSON(data.urls.checkpoint); } catch (e) { cp = null; }
    if (!cp) {
      if (data.versions.length) show(false, M.failed, [M.no_checkpoint]);
      else show(true, M.nothing_to_verify, []);
      return;
    }
    var note = await checkNote(cp.signed_note, key);
    if (note.signature === "bad") problems.push(M.bad_signature);
    else notes.push(note.signature === "ok" ? M.signature_browser : M.signature_server);
    notes.push(fmt(M.checkpoint, { size: note.size, root: hex(note.root) }));

    var storeKey = "gongshi-log:" + note.origin, seen = null;
    try { seen = JSON.parse(localStorage.getItem(storeKey) || "null"); } catch (e) { seen = null; }
    var consistentWithSeen = true;
    if (seen && seen.size > note.size) {
      problems.push(fmt(M.rolled_back, { before: seen.size, now: note.size }));
      consistentWithSeen = false;
    } else if (seen && seen.size > 0) {
      var proof = await getJSON(data.urls.consistency + "?first=" + seen.size + "&second=" + note.size);
      if (!(await consistent(seen.size, note.size, proof.hashes.map(b64), b64(seen.root), note.root))) {
        problems.push(fmt(M.forked, { before: seen.size, now: note.size }));
        consistentWithSeen = false;
      } else {
        notes.push(fmt(M.consistent, { before: seen.size }));
      }
    }
    if (consistentWithSeen && note.signature !== "bad") {
      try { localStorage.setItem(storeKey, JSON.stringify({ size: note.size, root: cp.root_hash })); } catch (e) { /* private mode */ }
    }

    var logged = await getJSON(data.urls.entries + "?tree_size=" + note.size);
    var byIndex = {};
    logged.versions.forEach(function (v) { if (v.leaf_index !== null) byIndex[v.leaf_index] = v; });
    for (var i = 0; i < data.versions.length; i++) {
      var version = data.versions[i];
      var found = await checkVersion(i, version, byIndex[version.leaf_index], note.size, note.root);
      setRow(i, found.length === 0, found.length ? M.row_failed : M.row_ok);
      problems = problems.concat(found);
    }
    // A regulator's stage-date corrections are leaves too: rebuilt, compared, proved the same way.
    var corrections = logged.stage_corrections || [];
    for (var j = 0; j < corrections.length; j++) {
      var c = corrections[j];
      var shown = { label: M.stage_correction, leaf_index: c.leaf_index, published: c.published, files: [] };
      problems = problems.concat(await checkVersion(-1, shown, c, note.size, note.root));
    }
    if (corrections.length && !problems.length) notes.push(fmt(M.corrections_ok, { n: corrections.length }));
    if (problems.length) show(false, M.failed, problems.concat(notes));
    else show(true, fmt(M.all_ok, { n: data.versions.length }), notes);
  }

  run().catch(function (error) { show(false, M.failed, [String(error.message || error)]); });
})();

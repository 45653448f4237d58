// Sign-in proof of work (network/accounts/proof.py): when an account is being slowed down,
// find a nonce so that sha256(challenge + nonce) starts with `bits` zero bits, and send it
// with the form, so a person with the right password gets in without waiting.
// Our own SHA-256: crypto.subtle exists only on https pages, and is slow one hash at a time.
(function () {
  "use strict";

  var K = new Uint32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
  ]);
  var W = new Uint32Array(64);

  function rotr(x, n) { return (x >>> n) | (x << (32 - n)); }

  // The eight 32-bit words of sha256(text), for text made of ASCII characters only.
  function sha256(text) {
    var length = text.length;
    var blocks = ((length + 9 + 63) >> 6) << 4;
    var words = new Uint32Array(blocks);
    for (var i = 0; i < length; i++) words[i >> 2] |= text.charCodeAt(i) << (24 - (i % 4) * 8);
    words[length >> 2] |= 0x80 << (24 - (length % 4) * 8);
    words[blocks - 1] = length * 8;
    var h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    for (var start = 0; start < blocks; start += 16) {
      for (var t = 0; t < 64; t++) {
        if (t < 16) {
          W[t] = words[start + t];
        } else {
          var a = W[t - 15], b = W[t - 2];
          var s0 = rotr(a, 7) ^ rotr(a, 18) ^ (a >>> 3);
          var s1 = rotr(b, 17) ^ rotr(b, 19) ^ (b >>> 10);
          W[t] = (W[t - 16] + s0 + W[t - 7] + s1) | 0;
        }
      }
      var A = h[0], B = h[1], C = h[2], D = h[3], E = h[4], F = h[5], G = h[6], H = h[7];
      for (t = 0; t < 64; t++) {
        var S1 = rotr(E, 6) ^ rotr(E, 11) ^ rotr(E, 25);
        var t1 = (H + S1 + ((E & F) ^ (~E & G)) + K[t] + W[t]) | 0;
        var S0 = rotr(A, 2) ^ rotr(A, 13) ^ rotr(A, 22);
        var t2 = (S0 + ((A & B) ^ (A & C) ^ (B & C))) | 0;
        H = G; G = F; F = E; E = (D + t1) | 0; D = C; C = B; B = A; A = (t1 + t2) | 0;
      }
      h[0] = (h[0] + A) | 0; h[1] = (h[1] + B) | 0; h[2] = (h[2] + C) | 0; h[3] = (h[3] + D) | 0;
      h[4] = (h[4] + E) | 0; h[5] = (h[5] + F) | 0; h[6] = (h[6] + G) | 0; h[7] = (h[7] + H) | 0;
    }
    return h;
  }

  function leadingZeroBits(h) {
    var bits = 0;
    for (var i = 0; i < 8; i++) {
      var word = h[i] >>> 0;
      if (word === 0) { bits += 32; continue; }
      return bits + Math.clz32(word);
    }
    return bits;
  }

  // Exposed for tests: the same answer the server checks.
  window.networkSignInProof = { sha256: sha256, leadingZeroBits: leadingZeroBits };

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-proof-bits]");
    if (!form) return;
    var bits = parseInt(form.getAttribute("data-proof-bits"), 10);
    var challenge = form.querySelector("input[name=proof]");
    var answer = form.querySelector("input[name=proof_nonce]");
    var status = form.querySelector("[data-proof-status]");
    if (!challenge || !answer || !challenge.value || !(bits > 0)) return;
    var solved = false;
    var sendWhenSolved = false;
    status.textContent = status.getAttribute("data-working");
    status.hidden = false;

    var counter = 0;
    function work() {
      // Slices of 20,000 hashes keep the page responsive while the puzzle is solved.
      for (var end = counter + 20000; counter < end; counter++) {
        if (leadingZeroBits(sha256(challenge.value + counter)) >= bits) {
          answer.value = String(counter);
          solved = true;
          status.textContent = status.getAttribute("data-done");
          form.setAttribute("data-proof-solved", "");
          if (sendWhenSolved) form.requestSubmit();
          return;
        }
      }
      setTimeout(work, 0);
    }
    setTimeout(work, 0);

    form.addEventListener("submit", function (event) {
      if (solved) return;
      event.preventDefault(); // sent as soon as the puzzle is solved
      sendWhenSolved = true;
    });
  });
})();

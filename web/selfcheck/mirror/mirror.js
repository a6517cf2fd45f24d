// The camera aid ("use my camera as a mirror"): the front camera shown mirrored, a short guide
// (relax, then the movement), and a measurement of both eyes (and the mouth corners when the
// eyes close) made on the phone with MediaPipe Face Mesh. Frames never leave this page: the only
// thing ever sent is the measured numbers, and only when the person taps "share".
//
// It talks to Streamlit with the plain custom-component messages (no library, no build step).
"use strict";

(function () {
  // Landmarks of MediaPipe's face mesh (refined): the person's right eye is on the image's left.
  const EYES = {
    right: { top: 159, bottom: 145, outer: 33, inner: 133 },
    left: { top: 386, bottom: 374, outer: 263, inner: 362 },
  };
  const MOUTH = { right: 61, left: 291 };
  // Sides differing by less than this share of the larger eye opening count as "about the same":
  // healthy faces differ a little, and the phone's measure is rough.
  const EYE_SAME = 0.15;
  // Mouth-corner lifts (in eye distances) closer than this count as the same.
  const MOUTH_SAME = 0.03;
  const REST_MS = 1500;
  const GET_READY_S = 3;
  const HOLD_MS = 2000;
  const NO_FACE_MS = 5000;
  const MOUTH_COLOUR = "#b0413e"; // the eye-closure picture's lips (no eye is drawn there)
  const DARK_LUMA = 35; // mean brightness (0-255) below which a face is rarely found

  const $ = (id) => document.getElementById(id);
  let args = null;
  let texts = {};
  let faceMesh = null;
  let stream = null;
  let latest = null; // the last frame's landmarks in pixels, or null when no face was found
  let busy = false;
  let running = false;
  let collecting = null;
  let guiding = false; // the guide speaks for itself meanwhile
  let lastFaceAt = 0;
  let measured = null;
  const started = performance.now();

  function post(type, extra) {
    window.parent.postMessage(
      Object.assign({ isStreamlitMessage: true, type: type }, extra || {}), window.location.origin,
    );
  }
  function fitHeight() {
    // The content's own height (the document's would never shrink below the frame's).
    const height = Math.ceil($("aid").getBoundingClientRect().height) + 8;
    post("streamlit:setFrameHeight", { height: height });
  }
  function say(text) { $("status").textContent = text; fitHeight(); }
  function show(id, visible) { $(id).hidden = !visible; fitHeight(); }

  window.addEventListener("message", (event) => {
    if (event.origin !== window.location.origin || !event.data) return;
    if (event.data.type !== "streamlit:render") return;
    if (args === null) {
      args = event.data.args;
      texts = args.texts;
      nameFrame(args.lang);
      open();
    } else {
      texts = event.data.args.texts; // the language was switched while the aid was open
      nameFrame(event.data.args.lang);
      relabel();
    }
  });

  // What a screen reader says on entering the aid: its own name in the person's language (the
  // frame's title would otherwise be the component's module path) and a voice for that language.
  // The frame is this site's own, so its element in the page can be named from here.
  function nameFrame(lang) {
    document.documentElement.lang = lang;
    document.title = texts.open;
    if (window.frameElement) window.frameElement.title = texts.open;
  }
  new ResizeObserver(fitHeight).observe(document.body);
  post("streamlit:componentReady", { apiVersion: 1 });

  // --- loading: the files are fetched once here with progress; the long cache headers mean
  // Face Mesh then reads them from the browser's cache.
  async function fetchAll(files, onBytes) {
    for (const name of files) {
      const response = await fetch(args.base + "/" + name);
      if (!response.ok || !response.body) throw new Error("load");
      const reader = response.body.getReader();
      for (;;) {
        const part = await reader.read();
        if (part.done) break;
        onBytes(part.value.length);
      }
    }
  }

  function loadScript(src) {
    return new Promise((done, fail) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = done;
      script.onerror = fail;
      document.head.appendChild(script);
    });
  }

  // The camera first: the person sees the mirror at once (it helps even before anything is
  // measured), and with no camera or a refused one nothing big is downloaded.
  async function open() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      say(texts.no_camera);
      return;
    }
    if (!(await startCamera())) return;
    $("loading-label").textContent = texts.loading;
    show("loading", true);
    const files = Object.keys(args.sizes);
    const total = files.reduce((sum, f) => sum + args.sizes[f].raw, 0);
    let got = 0;
    try {
      await fetchAll(files, (n) => {
        got += n;
        $("progress").value = Math.min(100, Math.round((100 * got) / total));
      });
      await loadScript(args.base + "/face_mesh.js");
      faceMesh = new window.FaceMesh({ locateFile: (f) => args.base + "/" + f });
      // CPU inference: several times faster per frame than WebGL in a software renderer, and no
      // GPU differences between phones. minDetectionConfidence is left out on purpose: setting
      // it stops this version's graph at the first frame.
      faceMesh.setOptions({
        maxNumFaces: 1, refineLandmarks: true, staticImageMode: false, useCpuInference: true,
      });
      faceMesh.onResults(onResults);
      await faceMesh.initialize();
    } catch (error) {
      show("loading", false);
      stopCamera();
      say(texts.failed);
      return;
    }
    show("loading", false);
    measureFrames();
    $("start").textContent = texts.start;
    $("start").className = "primary";
    show("start", true);
    $("start").focus();
  }

  // True when the mirror shows; otherwise says why not (refused, or no camera).
  async function startCamera() {
    say(texts.allow);
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: "user", width: { ideal: 640 }, height: { ideal: 480 } },
        audio: false,
      });
    } catch (error) {
      const name = error && error.name;
      say(name === "NotAllowedError" || name === "SecurityError" ? texts.denied : texts.no_camera);
      // Once the camera is allowed in the settings (or freed by another app), one tap retries.
      $("again").textContent = texts.again;
      show("again", true);
      return false;
    }
    show("again", false);
    const video = $("video");
    video.srcObject = stream;
    await video.play();
    show("stage", true);
    say("");
    return true;
  }

  function measureFrames() {
    running = true;
    lastFaceAt = performance.now();
    requestAnimationFrame(loop);
  }

  function stopCamera() {
    running = false;
    if (stream) stream.getTracks().forEach((t) => t.stop());
    stream = null;
    show("stage", false);
  }

  async function loop() {
    if (!running) return;
    const video = $("video");
    if (!busy && video.readyState >= 2) {
      busy = true;
      try {
        await faceMesh.send({ image: video });
      } catch (error) {
        running = false;
        stopCamera();
        say(texts.failed);
      }
      busy = false;
    }
    if (running) requestAnimationFrame(loop);
  }

  function onResults(results) {
    const faces = results.multiFaceLandmarks;
    const video = $("video");
    if (!faces || faces.length === 0) {
      latest = null;
      if (performance.now() - lastFaceAt > NO_FACE_MS && !guiding) {
        say(dark(video) ? texts.too_dark : texts.no_face);
      }
      return;
    }
    const w = video.videoWidth;
    const h = video.videoHeight;
    latest = faces[0].map((p) => ({ x: p.x * w, y: p.y * h }));
    if (performance.now() - lastFaceAt > NO_FACE_MS && !guiding) say("");
    lastFaceAt = performance.now();
    if (window.firstMeasurementMs === undefined) {
      window.firstMeasurementMs = performance.now() - started; // read by the benchmark
    }
    if (collecting !== null) collecting.push(measure(latest));
  }

  function dark(video) {
    const canvas = document.createElement("canvas");
    canvas.width = 32;
    canvas.height = 24;
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    ctx.drawImage(video, 0, 0, 32, 24);
    const px = ctx.getImageData(0, 0, 32, 24).data;
    let sum = 0;
    for (let i = 0; i < px.length; i += 4) sum += 0.299 * px[i] + 0.587 * px[i + 1] + 0.114 * px[i + 2];
    return sum / (px.length / 4) < DARK_LUMA;
  }

  const dist = (a, b) => Math.hypot(a.x - b.x, a.y - b.y);

  // Eye opening = lid gap / eye width (so the distance to the phone does not matter); a mouth
  // corner's height = how far it is below the line between the eyes, in eye distances.
  function measure(pts) {
    const opening = (e) => dist(pts[e.top], pts[e.bottom]) / dist(pts[e.outer], pts[e.inner]);
    const centre = (e) => ({ x: (pts[e.outer].x + pts[e.inner].x) / 2, y: (pts[e.outer].y + pts[e.inner].y) / 2 });
    const r = centre(EYES.right);
    const l = centre(EYES.left);
    const span = dist(r, l);
    const below = (p) => {
      // distance from the eye line, signed downwards
      return ((l.x - r.x) * (p.y - r.y) - (l.y - r.y) * (p.x - r.x)) / (span * span);
    };
    return {
      right_eye: opening(EYES.right),
      left_eye: opening(EYES.left),
      right_corner: below(pts[MOUTH.right]),
      left_corner: below(pts[MOUTH.left]),
    };
  }

  function median(values) {
    const s = values.slice().sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  }
  function summary(frames) {
    const out = {};
    for (const k of ["right_eye", "left_eye", "right_corner", "left_corner"]) {
      out[k] = Math.round(median(frames.map((f) => f[k])) * 1000) / 1000;
    }
    return out;
  }

  const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

  async function countdown(seconds) {
    for (let s = seconds; s > 0; s--) {
      $("count").textContent = String(s);
      await sleep(1000);
    }
    $("count").textContent = "";
  }

  async function phase(prompt, ms) {
    $("prompt").textContent = prompt; // read out by its own live region
    say("");
    await countdown(GET_READY_S);
    $("prompt").textContent = prompt + " " + texts.hold;
    collecting = [];
    await sleep(ms);
    const frames = collecting;
    collecting = null;
    return frames.length >= 3 ? summary(frames) : null;
  }

  function beep() {
    try {
      const audio = new AudioContext();
      const tone = audio.createOscillator();
      tone.frequency.value = 880;
      tone.connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.3);
    } catch (error) {
      // no sound: the countdown on the screen still ends the phase
    }
    if (navigator.vibrate) navigator.vibrate(200);
  }

  async function guide() {
    guiding = true;
    try {
      await guided();
    } finally {
      guiding = false;
      lastFaceAt = performance.now(); // a fresh grace period before "no face" is said again
    }
  }

  async function guided() {
    show("start", false);
    show("again", false);
    show("result", false);
    const rest = await phase(texts.rest, REST_MS);
    const moving = rest && (await phase(texts[args.movement], HOLD_MS));
    if (args.movement === "close_eyes") beep();
    $("prompt").textContent = "";
    if (!rest || !moving) {
      say(dark($("video")) ? texts.too_dark : texts.no_face);
      $("again").textContent = texts.again;
      show("again", true);
      return;
    }
    stopCamera();
    measured = { movement: args.movement, rest: rest, moving: moving };
    result(measured);
  }

  function sentence(m) {
    if (m.movement === "close_eyes") {
      const liftR = m.rest.right_corner - m.moving.right_corner;
      const liftL = m.rest.left_corner - m.moving.left_corner;
      if (Math.abs(liftR - liftL) < MOUTH_SAME) return texts.mouth_same;
      return liftR > liftL ? texts.right_corner_higher : texts.left_corner_higher;
    }
    const r = m.moving.right_eye;
    const l = m.moving.left_eye;
    if (Math.abs(r - l) / Math.max(r, l, 1e-6) < EYE_SAME) return texts.eyes_same;
    return r < l ? texts.right_eye_smaller : texts.left_eye_smaller;
  }

  // The picture shows what the sentence is about: both eyes at rest and during the movement,
  // or, when the eyes close, the mouth. As in a mirror, the person's right is on the right.
  function draw(m) {
    const canvas = $("picture");
    const ctx = canvas.getContext("2d");
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.font = "26px system-ui, sans-serif";
    ctx.fillStyle = "#1a1a1a";
    ctx.textAlign = "center";
    if (m.movement === "close_eyes") {
      drawMouths(ctx, m);
      return;
    }
    ctx.fillText(texts.left_eye, 200, 30);
    ctx.fillText(texts.right_eye, 450, 30);
    // Each row's name on its own line above its eyes, so long Spanish names never overlap.
    const rows = [[texts.at_rest, m.rest, 125], [texts.moving, m.moving, 265]];
    for (const [label, values, y] of rows) {
      ctx.textAlign = "left";
      ctx.fillStyle = "#1a1a1a";
      ctx.fillText(label, 8, y - 47);
      eye(ctx, 200, y, values.left_eye);
      eye(ctx, 450, y, values.right_eye);
    }
  }

  // The mouth at rest (both corners on a level line) and with the eyes closed, each corner
  // raised by how much it went up, magnified so that the threshold of "about the same" (3% of
  // the distance between the eyes) is a visible step.
  const LIFT_PX = 600; // pixels per eye distance
  const MAX_LIFT_PX = 45;
  function drawMouths(ctx, m) {
    ctx.fillText(texts.left_side, 150, 30);
    ctx.fillText(texts.right_side, 450, 30);
    const px = (lift) => Math.max(-MAX_LIFT_PX, Math.min(MAX_LIFT_PX, lift * LIFT_PX));
    const lifts = {
      right: m.rest.right_corner - m.moving.right_corner,
      left: m.rest.left_corner - m.moving.left_corner,
    };
    const rows = [[texts.at_rest, 0, 0, 125], [texts.eyes_closed, px(lifts.left), px(lifts.right), 265]];
    for (const [label, upLeft, upRight, y] of rows) {
      ctx.textAlign = "left";
      ctx.fillStyle = "#1a1a1a";
      ctx.fillText(label, 8, y - 47);
      mouth(ctx, y, upLeft, upRight);
    }
  }

  function mouth(ctx, cy, upLeft, upRight) {
    // the level the corners started from, as a thin dashed line
    ctx.save();
    ctx.setLineDash([8, 8]);
    ctx.lineWidth = 2;
    ctx.strokeStyle = "#8a8a8a";
    ctx.beginPath();
    ctx.moveTo(100, cy);
    ctx.lineTo(500, cy);
    ctx.stroke();
    ctx.restore();
    const left = { x: 150, y: cy - upLeft };
    const right = { x: 450, y: cy - upRight };
    ctx.beginPath();
    ctx.moveTo(left.x, left.y);
    ctx.quadraticCurveTo(300, cy + 40, right.x, right.y);
    ctx.lineWidth = 8;
    ctx.lineCap = "round";
    ctx.strokeStyle = MOUTH_COLOUR;
    ctx.stroke();
    for (const corner of [left, right]) {
      ctx.beginPath();
      ctx.arc(corner.x, corner.y, 11, 0, 2 * Math.PI);
      ctx.fillStyle = "#1a1a1a";
      ctx.fill();
    }
  }

  function eye(ctx, cx, cy, opening) {
    const half = 80;
    const lid = Math.max(1, Math.min(1, opening) * half * 1.1);
    const outline = () => {
      ctx.beginPath();
      ctx.moveTo(cx - half, cy);
      ctx.quadraticCurveTo(cx, cy - 2 * lid, cx + half, cy);
      ctx.quadraticCurveTo(cx, cy + 2 * lid, cx - half, cy);
      ctx.closePath();
    };
    outline();
    ctx.save();
    ctx.fillStyle = "#f4f1ec";
    ctx.fill();
    ctx.clip();
    ctx.beginPath();
    ctx.arc(cx, cy, 26, 0, 2 * Math.PI);
    ctx.fillStyle = "#4a6f8a";
    ctx.fill();
    ctx.restore();
    outline();
    ctx.lineWidth = 4;
    ctx.strokeStyle = "#1a1a1a";
    ctx.stroke();
  }

  function result(m) {
    const text = sentence(m);
    draw(m);
    $("picture").setAttribute("aria-label", text);
    $("sentence").textContent = text;
    $("note").textContent = texts.not_diagnosis;
    const box = $("result");
    for (const phaseName of ["rest", "moving"]) {
      for (const k of Object.keys(m[phaseName])) box.dataset[phaseName + "_" + k] = m[phaseName][k];
    }
    show("result", true);
    say("");
    $("share").textContent = texts.share;
    $("share").className = "primary";
    $("again").textContent = texts.again;
    show("share", true);
    show("again", true);
    $("sentence").setAttribute("tabindex", "-1");
    $("sentence").focus();
  }

  function relabel() {
    $("loading-label").textContent = texts.loading;
    $("start").textContent = texts.start;
    $("share").textContent = texts.share;
    $("again").textContent = texts.again;
    if (measured !== null && !$("result").hidden) {
      const text = sentence(measured);
      draw(measured);
      $("picture").setAttribute("aria-label", text);
      $("sentence").textContent = text;
      $("note").textContent = texts.not_diagnosis;
    }
  }

  $("start").addEventListener("click", guide);
  $("again").addEventListener("click", async () => {
    if (faceMesh === null) {
      open(); // the camera was refused before anything loaded: start from the beginning
      return;
    }
    if (!running) {
      show("result", false);
      show("share", false);
      if (await startCamera()) {
        measureFrames();
        guide();
      }
    } else {
      guide();
    }
  });
  $("share").addEventListener("click", () => {
    // Only the numbers: the picture, the landmarks and the video stay here.
    post("streamlit:setComponentValue", { value: measured, dataType: "json" });
    show("share", false);
    say(texts.shared);
  });
  window.addEventListener("pagehide", stopCamera);
})();

postMessage({ worker: "module", when: "first line", gpc: navigator.globalPrivacyControl });
onmessage = () => postMessage({ worker: "module", when: "asked", gpc: navigator.globalPrivacyControl });

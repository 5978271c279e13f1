postMessage({ worker: "cross-site frame", when: "first line", gpc: navigator.globalPrivacyControl });

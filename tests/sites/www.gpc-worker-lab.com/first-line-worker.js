postMessage({ worker: "network", when: "first line", gpc: navigator.globalPrivacyControl });
onmessage = () => postMessage({ worker: "network", when: "asked", gpc: navigator.globalPrivacyControl });

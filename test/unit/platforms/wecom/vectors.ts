// Published WeCom crypto vectors, copied from /work/shared/reference/dingtalk-wecom.md §C1, §C2 and §C4.

/** C1 "QDG6eK": the official set of doc 91144 (PHP / C++ / Go samples). */
export const C1 = {
  token: "QDG6eK",
  encodingAesKey: "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
  corpId: "wx5823bf96d3bd56c7",
  verify: {
    signature: "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3",
    timestamp: "1409659589",
    nonce: "263014780",
    echostr: "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==",
    wireEchostr:
      "P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D",
    plaintext: "1616140317555161061",
  },
  xml: {
    signature: "477715d11cdb4164915debcba66cb864d751f3e6",
    timestamp: "1409659813",
    nonce: "1372623149",
    encrypt:
      "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==",
    plaintext:
      "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>",
  },
  /** The published plaintext is not valid JSON (`:mycreate"`); only byte equality matters. */
  json: {
    signature: "1f3153b7abd0ba99b4ab2e57fac2376110d03a3c",
    timestamp: "1409659813",
    nonce: "1372623149",
    encrypt:
      "pvXgeha3nZ7UQ2DG3WD3IVsNJR38QVl1+h+wmLQHIAwEG3Jey2aTZtvAWzhEZ9JEKGwIUMBWX3JlUhfo7O7WbvI10vHIsdSNr1nr3LuOwAfnwLJAMQNDxi5tHUl08Op59jxOL73r8+g60KOxMTaFwXzlr9Yxgq5ey5nzNb/2vDjjvDZNXkJVmL/XWnv6PXrVbTpNxphqWRv2BpPYqvwRMkHgdFliatljMVlkkRHS40FOHmtBhj/4RXtIexfDx8opBXwi0L9RTlYNQzGx+FA+74xVHG7Le/pmNDwc2Ri5mbw=",
    plaintext:
      '{ "ToUserName": "wx5823bf96d3bd56c7", "FromUserName": :mycreate", "CreateTime": 1409659813, "MsgType": "text", "Content": "hello", "MsgId": 4561255354251345929, "AgentID": 218}',
  },
  goJson: {
    signature: "0623cbc5a8cbee5bcc137c70de99575366fc2af3",
    timestamp: "1409659813",
    nonce: "1372623149",
    encrypt:
      "CZWs4CWRpI4VolQlvn4dlEC1alN2MUEY2VklGehgBVLBrlVF7SyT+SV+Toj43l4ayJ9UMGKphktKKmP7B2j/P1ey67XB8PBgS7Wr5/8+w/yWriZv3Vmoo/MH3/1HsIWZrPQ3N2mJrelStIfI2Y8kLKXA7EhfZgZX4o+ffdkZDM76SEl79Ib9mw7TGjZ9Aw/x/A2VjNbV1E8BtEbRxYYcQippYNw7hr8sFfa3nW1xLdxokt8QkRX83vK3DFP2F6TQFPL2Tu98UwhcUpPvdJBuu1/yiOQIScppV3eOuLWEsko=",
    plaintext:
      '{"ToUserName":"wx5823bf96d3bd56c7","FromUserName":"mycreate","CreateTime": 1409659813,"MsgType":"text","Content":"hello","MsgId":4561255354251345929,"AgentID": 218}',
  },
};

/** C2: sbzhu/weworkapi_python samples at 16e0b05. */
export const C2 = {
  token: "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo",
  encodingAesKey: "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt",
  corpId: "ww1436e0e65a779aee",
  verify: {
    signature: "012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb",
    timestamp: "1476416373",
    nonce: "47744683",
    echostr: "fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==",
    plaintext: "1288432023552776189",
  },
  xml: {
    signature: "0c3914025cb4b4d68103f6bfc8db550f79dcf48e",
    timestamp: "1476422779",
    nonce: "1597212914",
    encrypt:
      "Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+",
    plaintext:
      "<xml><ToUserName>ww1436e0e65a779aee</ToUserName><FromUserName>ChenJiaShun</FromUserName><CreateTime>1476422779</CreateTime><MsgType>text</MsgType><Content>你好</Content><MsgId>1456453720</MsgId><AgentID>1000002</AgentID></xml>",
  },
  json: {
    signature: "e3647471e395139e2308c1fa963f2d648a00b90e",
    timestamp: "1409659813",
    nonce: "1372623149",
    encrypt:
      "cjhLUX7UU4yCSelv1vz7T0zT8huF51bAMVWriNvO1FMegHrQZNrtvRxbwf0fUPsFvwqR0U0fgiJNEA5Y30F2MoI2S7vv3EjVQ68C0cjw9frBoUE2Hj0BvFp9h3u6Vbsg4lc1C8AtHdaN8orKuNKkLRLuYEL52R1J3v8olJGZRLnRdVKIivixmX/eQpzgeExtp20jI1HxRP1AAZ6xZoILdqDPO549LO4WeG+685JRUTdiwcY5fjZlqeMxuT4PpMn1X9OWsS7NRj06Wa5E3Tvg4twjWp39KPfOdRte6P1T4JU=",
  },
};

/** C4: a passive reply encrypted with the C1 key, random prefix "aaaaaaaaaaaaaaaa" (derived, not published). */
export const C4 = {
  reply:
    "<xml><ToUserName><![CDATA[mycreate]]></ToUserName><FromUserName><![CDATA[wx5823bf96d3bd56c7]]></FromUserName><CreateTime>1348831860</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[this is a test]]></Content><MsgId>1234567890123456</MsgId><AgentID>128</AgentID></xml>",
  random: "aaaaaaaaaaaaaaaa",
  timestamp: "1409659813",
  nonce: "1372623149",
  encrypt:
    "2JaQ0H0H/TuqGM/rDRTva9p888tnPalUxtl86bgFepC7c3hGnvf8Si2yBCRZ6AlfI3L+1JjsPPDBMNHBE/0mdtFbMN869VTSqAIubVtni2Xq/ryi2P5/xVHBS90y7vCQc97OKgGpJRgmdzzUZHddzSrgA72z9JhN1Q6WiPfyv34p/1Tn4jHwg+O75LHmRjQcOhKZTdMnpYdstqjfADyS1JigJuV6lGwWQsZTK98MwYQ7k4DnPae/lKZBQqQ9bSUOpzXMSF/4H+xlCavLgpGEjESaoPhV8dWKx3/kGpTYoRo50hy9Gy7AYBjmgIPZFRiNBuiWnDFN2H8cNLtkJ4uS8e+qUgzocN+3FJ23eZu9Dyrxajv4bpGznxY7QMuD4iPB8/uUCiZVIVrTvmQgk/7Oryv0IbJwA2tMMcJlAjY29ytR0Jf+0zBjXNAeZiSq7cEbTjt1PpPFQL1qn+nNXYPYqw==",
  signature: "5e9cddcea7bda2620a3c1daeac8cecdc8c53b892",
};

// Lark's published crypto vectors (reference lark.md §6), copied exactly.

/** Feishu docs "接收事件" decrypt sample. */
export const DOCS_VECTOR = {
  encryptKey: "test key",
  encrypt: "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=",
  plain: "hello world",
};

/** larksuite/node-sdk adaptor/services/__tests__/challenge.ts: an encrypted url_verification. */
export const CHALLENGE_VECTOR = {
  encryptKey: "mazhe.nerd",
  encrypt:
    "tT1xP+ovuc0T3b/rnZX3ax76exqAn0ANQ6/U45GcciC0mgNBc8JtvqOJGNAPMKpgRs2dVU1NYk9VDeqS8T4SYtU0hzNU54aS84WnxvZ3VFfDcy/RyABlNqlUiGyLDzFI0yxdCMT4KR/YEQXlt6nZi50KwRlZ+A75r645KesZuLMljezYyY8VeeXEVjPw35+e",
  challenge: "5634b122-c042-4634-bc7f-b07a3c3e77ad",
  token: "iRdCP2WwXNBXRM3mGLqhrgch3cn0gbT6",
  plain:
    '{"challenge":"5634b122-c042-4634-bc7f-b07a3c3e77ad","token":"iRdCP2WwXNBXRM3mGLqhrgch3cn0gbT6","type":"url_verification"}',
};

/** larksuite/oapi-sdk-go event/dispatcher/dispatcher_test.go TestDecryptEvent and mockEventReq. */
export const GO_VECTOR = {
  encryptKey: "1212121212",
  encrypt:
    "bZ3L7yh6m3Fkuffl4g+3uGjIHnhOm5fVZbKVuyT8t7tcd5ABMYm8l28/X900ZL3knZ7n+sCREu/H2WnIzft0amC7+xWqNH8o25IU63N4BnZWfHh+4hyG76QPd19vkw2bPJCx9aqxK8Nz+xqFNbk0RdgyWhmgd30jSxHtcQXAllkI7FMpGpOCteJad3bLXPDBQIV/xkCtKICCS7Z63gakpxZCLaRZ3qCXP1fapHh+LBIupxenrU6ysc7I3nHmjmKie41IiWwS5puG4zQHhVbq6KWLcgWm/3NBZOPQy53ucMu75SXA55I7jarVLZXWUcqBGrcgE3vouWbtwgZuzmoTQl0GSh5VYSVvpW992BuGxUWj0XjPYdICJm6Cr7xouNXwMcdb7N8caVdkdSZeEnswG19qSyDoQhklwzNGW0yiaayulBqJNjfge/G5V3401c2XaIuAeEIo+QQ4RSNpRGfnHkbu/j55FGQAGWjpuBNaIwZbaUoVP3NkGP+vM5rpEDe3sL2GN+Xsd+g9yBs7FqdMV8mXTGgLjCqjrPrke5/km76Q3Pe6KPs2YexMRG4MkSx3xUTzZnNn7zIzShPcjeSwBd2pxk6ht5N+fzueZdxl6Oo=",
  plain:
    '{"schema":"2.0","header":{"event_id":"f7984f25108f8137722bb63cee927e66","event_type":"contact.user.created_v3","app_id":"cli_xxxxxxxx","tenant_key":"xxxxxxx","create_time":"1603977298000000","token":"v"},"event":{"object":{"open_id":"ou_7dab8a3d3cdcc9da365777c7ad535d62","union_id":"on_576833b917gda3d939b9a3c2d53e72c8","user_id":"e33ggbyz","name":"张三","employee_no":"employee_no"}},"challenge":"1212","type":"url_verification"}',
  /** Signature over `plain` with timestamp "timestamp" and nonce "nonce": derived locally, not an official literal. */
  signature: "4dca085198cb3216defc5b65b0668c1328b038a22dbadf2bc6c4fdc3d32bbc45",
};

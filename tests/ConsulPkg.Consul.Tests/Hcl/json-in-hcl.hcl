{
  "retry_join": ["127.0.0.1"],
  "data_dir": "/var/lib/consul",
  "server": true,
  "bootstrap_expect": 1,
  "ui": true
}

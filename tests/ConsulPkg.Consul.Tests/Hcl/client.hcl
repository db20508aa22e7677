datacenter = "eu-west"
data_dir = "/opt/consul"
retry_join = ["provider=aws tag_key=consul tag_value=server"]
node_meta {
  rack = "r1"
}

service {
  name = "web"
  port = 8080
  tags = ["v1", "blue"]
  check {
    id       = "web-http"
    http     = "http://localhost:8080/health"
    interval = "10s"
    timeout  = "1s"
  }
}

service {
  name = "api"
  port = 9090
}

check "disk" {
  args     = ["/usr/local/bin/check-disk", "-w", "80"]
  interval = "30s"
}

limits {
  http_max_conns_per_client = 400
  rpc_rate = 1.5e3
}

watches = [
  {
    type    = "key"
    key     = "deploy/flag"
    handler_type = "script"
    args    = ["/usr/local/bin/on-flag"]
  },
]

# Notes kept with the config.
node_name = <<-NAME
    web-01
    NAME

# A three-server datacenter, as the deployment guides lay one out.
datacenter = "eu-west"
data_dir   = "/opt/consul"
log_level  = "INFO"

server           = true
bootstrap_expect = 3
retry_join       = ["10.0.0.11", "10.0.0.12",
                    "10.0.0.13", ]  # the first controllers

# Several private addresses: pick the one on 10.0.0.0/8.
bind_addr   = "{{ GetPrivateInterfaces | include \"network\" \"10.0.0.0/8\" | attr \"address\" }}"
client_addr = "0.0.0.0"   // UI access

encrypt = "pUqJrVyVRj5jsiYEkM/tFQYfWyJIv4s3XkvDwy7Cu5s="
encrypt_verify_incoming = true

ui_config = {
  enabled = true
}

connect {
  enabled = true
}

acl {
  enabled        = true
  default_policy = "deny"
  tokens {
    agent = "e95b599e-166e-7d80-08ad-aee76e7ddf19"
  }
}

ports {
  https    = -1
  grpc     = 8502
  grpc_tls = 8503
}

/* Telemetry for the metrics stack.
   Quoted keys may hold dots. */
telemetry = {
  "disable_compat_1.9"      = true
  prometheus_retention_time = "24h"
}

performance {
  raft_multiplier = 1
}

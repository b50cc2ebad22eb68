// docker-archive: `docker save`'s format — manifest.json listing each image's config, tags
// and layer tars — read (several images; pick by NAME:TAG or @N) and written (layers as plain
// tars, as `docker load` expects). A source's manifest is synthesized as an OCI manifest with
// honest layer media types.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "libcore/transport/file_sink.hpp"
#include "libcore/transport/file_tree.hpp"
#include "libcore/transport/transport.hpp"

namespace pod::core::transport {

struct ArchiveImage {
  std::string config;  // member path
  std::vector<std::string> repo_tags;
  std::vector<std::string> layers;  // member paths, bottom first
};

// The images an archive holds, from its manifest.json.
std::vector<ArchiveImage> list_archive_images(FileTree& tree);

// `tag` empty and `index` -1: the archive must hold one image.
std::unique_ptr<ImageSource> open_docker_archive_source(std::unique_ptr<FileTree> tree, const std::string& tag, int index,
                                                        std::string name);

// `tag`: the first image's name (more with name_next_image).
std::unique_ptr<ImageDestination> open_docker_archive_destination(std::unique_ptr<FileSink> sink, std::string tag,
                                                                  std::string name);

}  // namespace pod::core::transport
